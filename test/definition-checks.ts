/**
 * A local stand-in for Zapier's server-side integration checks (D003–D024, see
 * Zapier's public integration checks reference, docs.zapier.com/platform/publish/integration-checks-reference), which `validate --without-style` does not run.
 * It walks an exported app (the GHL app at the root, the Ecwid app in ecwid/) and fails on what Zapier would flag.
 */

type Field = { key: string; label?: string; helpText?: string; dynamic?: string; search?: string; required?: boolean; list?: boolean };
type Op = {
  key: string;
  noun: string;
  display: { label: string; description: string; hidden?: boolean };
  operation: {
    type?: string;
    sample?: Record<string, unknown>;
    outputFields?: Array<{ key: string }>;
    inputFields?: Array<Field | ((...a: unknown[]) => unknown)>;
  };
};

const SMALL_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'by', 'for', 'with', 'from', 'as', 'at']);
export const isTitleCase = (label: string): boolean =>
  label.split(/\s+/).every((word, i) => (i > 0 && SMALL_WORDS.has(word)) || /^[A-Z0-9(]/.test(word));

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_KEY = /(date|time|At)$/i;
const NOT_DATES = new Set(['timezone']);

const staticFields = (o: Op): Field[] => (o.operation.inputFields ?? []).filter((f): f is Field => typeof f !== 'function');

const walkDates = (value: unknown, at: string, out: string[]) => {
  if (Array.isArray(value)) value.forEach((v, i) => walkDates(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && DATE_KEY.test(k) && !NOT_DATES.has(k) && !ISO_DATETIME.test(v) && !ISO_DATE.test(v))
        out.push(`${at}.${k}=${v}`);
      else walkDates(v, `${at}.${k}`, out);
    }
};

/** Runs every check on one app; test/definition.test.ts and ecwid/test/definition.test.ts call it. */
/** The parts of an exported Zapier app the checks read (loose on purpose: both apps' types fit). */
export interface CheckedApp {
  authentication?: { connectionLabel?: unknown };
  triggers?: object;
  searches?: object;
  creates?: object;
  searchOrCreates?: object;
}

export const describeDefinitionChecks = (App: CheckedApp, appName: string): void => {
  const triggers = Object.values(App.triggers ?? {}) as unknown as Op[];
  const searches = Object.values(App.searches ?? {}) as unknown as Op[];
  const creates = Object.values(App.creates ?? {}) as unknown as Op[];
  const all = [
    ...triggers.map((o) => ['trigger', o] as const),
    ...searches.map((o) => ['search', o] as const),
    ...creates.map((o) => ['create', o] as const),
  ];
  const visible = all.filter(([, o]) => !o.display.hidden);

  describe(`Zapier integration checks (local stand-in): ${appName}`, () => {
    it('has a connection label (D003)', () => {
      expect(App.authentication?.connectionLabel).toBeDefined();
    });

    it.each(visible.map(([kind, o]) => [`${kind} ${o.key}`, kind, o] as const))(
      '%s has a realistic static sample (D012)',
      (_n, _kind, o) => {
        expect(o.operation.sample).toBeDefined();
        expect(Object.keys(o.operation.sample ?? {}).length).toBeGreaterThan(3);
      },
    );

    it.each(triggers.map((o) => [o.key, o] as const))('polling trigger %s has an id in its sample (D010)', (_k, o) => {
      if (o.display.hidden && !o.operation.sample) return;
      expect(typeof o.operation.sample?.id).toBe('string');
    });

    it.each(all.map(([kind, o]) => [`${kind} ${o.key}`, o] as const))('%s label is Title Case (D018)', (_n, o) => {
      expect(isTitleCase(o.display.label)).toBe(true);
    });

    it.each(triggers.map((o) => [o.key, o] as const))('trigger %s description says "Triggers when … ." (D021)', (_k, o) => {
      expect(o.display.description).toMatch(/^Triggers when .+\.$/);
    });

    it.each(searches.map((o) => [o.key, o] as const))('search %s description says "Finds … ." and has a search field (D009)', (_k, o) => {
      expect(o.display.description).toMatch(/^Finds .+\.$/);
      expect((o.operation.inputFields ?? []).length).toBeGreaterThan(0);
    });

    it('every create description starts with a verb in -s and ends with a period', () => {
      for (const o of creates)
        expect({ key: o.key, description: o.display.description }).toEqual({
          key: o.key,
          description: expect.stringMatching(/^[A-Z][a-z]+s .+\.$/),
        });
    });

    it.each(all.map(([kind, o]) => [`${kind} ${o.key}`, o] as const))(
      '%s: ID inputs have a dropdown; help text is not the label (D004, D011)',
      (_n, o) => {
        for (const f of staticFields(o)) {
          const looksLikeId = / ID$/.test(f.label ?? '') || /Id$/.test(f.key);
          if (looksLikeId) expect({ field: f.key, dynamic: f.dynamic }).toEqual({ field: f.key, dynamic: expect.any(String) });
          if (f.helpText) expect(f.helpText.trim().toLowerCase()).not.toBe((f.label ?? f.key).trim().toLowerCase());
          if (f.label) expect({ field: f.key, titleCase: isTitleCase(f.label) }).toEqual({ field: f.key, titleCase: true });
        }
      },
    );

    it.each(all.map(([kind, o]) => [`${kind} ${o.key}`, o] as const))(
      '%s: dropdowns and search connectors point at existing keys (D005, D013, D014)',
      (_n, o) => {
        for (const f of staticFields(o)) {
          if (f.dynamic)
            expect({ field: f.key, trigger: Object.keys(App.triggers ?? {}).includes(f.dynamic.split('.')[0] as string) }).toEqual({
              field: f.key,
              trigger: true,
            });
          if (f.search) {
            expect(f.dynamic).toBeDefined();
            expect({ field: f.key, search: Object.keys(App.searches ?? {}).includes(f.search.split('.')[0] as string) }).toEqual({
              field: f.key,
              search: true,
            });
          }
        }
      },
    );

    it.each(visible.map(([kind, o]) => [`${kind} ${o.key}`, o] as const))('%s: every sample key is an output field (D024)', (_n, o) => {
      // Dynamic output fields (functions) depend on the account; the sample covers the static ones.
      const outputKeys = (o.operation.outputFields ?? []).filter((f) => typeof f !== 'function').map((f) => f.key);
      const known = (k: string) => outputKeys.some((ok) => ok === k || ok.startsWith(`${k}__`) || ok.startsWith(`${k}[]`));
      const unknown = Object.keys(o.operation.sample ?? {}).filter((k) => !known(k));
      expect(unknown).toEqual([]);
    });

    it.each(visible.map(([kind, o]) => [`${kind} ${o.key}`, o] as const))('%s: sample dates are ISO-8601 with a zone (D023)', (_n, o) => {
      const bad: string[] = [];
      walkDates(o.operation.sample, 'sample', bad);
      expect(bad).toEqual([]);
    });

    it('links in help text use https (D007) and Markdown link syntax (D008)', () => {
      const texts = all.flatMap(([, o]) => staticFields(o).map((f) => f.helpText ?? '')).concat(all.map(([, o]) => o.display.description));
      for (const t of texts) {
        expect(t).not.toMatch(/http:\/\//);
        const bare = t.replace(/\]\(https:\/\/[^)]+\)/g, '').replace(/`[^`]*`/g, '');
        expect(bare).not.toMatch(/https:\/\//);
      }
    });

    it('search-or-create pairs name an existing search and create (D015)', () => {
      for (const [key, soc] of Object.entries(App.searchOrCreates ?? {}) as Array<
        [string, { search: string; create: string; update?: string }]
      >) {
        expect(key).toBe(soc.search);
        expect(Object.keys(App.searches ?? {})).toContain(soc.search);
        expect(Object.keys(App.creates ?? {})).toContain(soc.create);
        if (soc.update) expect(Object.keys(App.creates ?? {})).toContain(soc.update);
      }
    });

    it('the title-case check itself rejects lower-case labels', () => {
      expect(isTitleCase('New Contact')).toBe(true);
      expect(isTitleCase('Find or Create Contact')).toBe(true);
      expect(isTitleCase('new contact')).toBe(false);
      expect(isTitleCase('Find contact')).toBe(false);
    });
  });
};
