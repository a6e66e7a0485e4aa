/**
 * The demo's first part (recipes/demo/story.ts): both apps connected through their own OAuth code,
 * then the Zap editor — the Ecwid trigger's outputs include one per checkout question of the shop;
 * the user maps "How did you hear about us?" into a GHL custom field of that name (created in GHL
 * once, like "Ecwid Customer ID"). Returns the settings every later Zap is built with.
 */
import { GROUPS as ECWID_GROUPS } from '../../ecwid/sandbox/state.js';
import { implementedOperations } from '../../sandbox/server.js';
import { HEARD_ABOUT_US, addGhlCustomField } from './helpers.js';
import type { DemoWorld } from './world.js';
import { settingsFor } from '../flows.js';

export const connectBothApps = async (w: DemoWorld) => {
  const { ghl, ecwid, zap, ecwidApp, log, check, section } = w;
  log(`GHL sandbox on ${ghl.url} — ${implementedOperations().length} GHL operations, requests validated against openapi/apps/*.json`);
  log(`Ecwid sandbox on ${ecwid.url} — store "${ecwid.state.store.name}", requests validated against ecwid/sandbox/openapi.json`);
  log(
    `Webhook relay on ${w.relay.url} (SQLite): both sandboxes send their signed webhooks there from the start; it hands them on only to subscribed Zaps`,
  );
  section("Connect (the app's OAuth2: authorize URL → GHL chooselocation page → code → token)");
  await zap.connect();
  log(
    `   connected as "${zap.connectionLabel}" (location ${zap.authData.locationId}, user type ${zap.authData.userType}); ${ghl.requests.length} requests`,
  );
  check('connect', 'connection label is the sub-account name', zap.connectionLabel === ghl.state.location.name, zap.connectionLabel);

  section(`Connect the Ecwid Customers app (its OAuth2: Ecwid's authorize page → code → token) to "${ecwid.state.store.name}"`);
  await ecwidApp.connect();
  log(
    `   connected as "${ecwidApp.connectionLabel}" (store ${ecwidApp.authData.store_id}, scopes ${ecwidApp.authData.scope}); ${ecwid.requests.length} Ecwid requests`,
  );
  check(
    'connect',
    'Ecwid connection label is the store name',
    ecwidApp.connectionLabel === ecwid.state.store.name,
    ecwidApp.connectionLabel,
  );
  const exchanges = ecwid.requests.filter((r) => r.path.startsWith('/api/oauth/token')).map((r) => `${r.method} ${r.path} → ${r.status}`);
  check(
    'connect',
    "the Ecwid code was exchanged at …/token/{store_id of Ecwid's redirect}, never at the retired …/token",
    exchanges.length === 1 && exchanges[0] === `POST /api/oauth/token/${ecwid.state.store.id} → 200`,
    exchanges.join(', '),
  );

  section("Zap editor: the Ecwid trigger lists the shop's checkout questions as outputs; map one into a GHL custom field");
  const editor = await ecwidApp.outputFields('new_or_updated_customer');
  const extraFields = editor.fields
    .filter((f) => f.key.startsWith('extraFields__'))
    .map((f) => ({ key: f.key.slice('extraFields__'.length), title: String(f.label ?? '').replace(/ \(extra field\)$/, '') }));
  log(`   extra field outputs: ${extraFields.map((f) => `"${f.title}" (${f.key})`).join(', ')}; ${editor.requests} Ecwid request`);
  check(
    'connect',
    "the Zap editor lists each of the store's extra fields as a labelled output (one request, not a poll)",
    extraFields.map((f) => f.title).join('|') === ecwid.state.extraFieldDefinitions.map((d) => d.title).join('|') && editor.requests === 1,
    extraFields.map((f) => f.title).join(', '),
  );
  const heardField = addGhlCustomField(ghl, HEARD_ABOUT_US);
  log(`   GHL custom field "${HEARD_ABOUT_US}" (${heardField}) created in the sub-account`);
  const settings = settingsFor(ghl.state, { groups: Object.values(ECWID_GROUPS), extraFields });
  check(
    'connect',
    `the extra field "${HEARD_ABOUT_US}" is mapped to the GHL custom field of that name`,
    settings.extraFields?.length === 1 && settings.extraFields[0]?.customFieldId === heardField,
    JSON.stringify(settings.extraFields),
  );
  return { settings, heardField };
};
