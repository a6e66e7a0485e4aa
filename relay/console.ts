import { createHash } from 'node:crypto';

/**
 * The operator console: one static page (served at GET /admin by relay/admin.ts) that asks for the
 * admin token, keeps it in the tab's sessionStorage only, and drives /admin/api/… with it.
 * Subscriptions by location (or Ecwid store), their pending and dead deliveries with attempts and
 * last error, re-send one or all dead deliveries, pause/resume. No framework, no external file:
 * the page's script and style are allowed by hash in its Content-Security-Policy, nothing else.
 * Every value is put in the page as text (textContent), never as HTML.
 */

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
tr.paused td { color: #888; }
button { margin-right: .25rem; }
#status { min-height: 1.2em; color: #05a; }
#status.error { color: #b00; }
.hidden { display: none; }
`;

const SCRIPT = `
const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem('relayAdminToken') || '', subscription: '' };
const say = (text, error) => { $('status').textContent = text; $('status').className = error ? 'error' : ''; };
const report = (e) => { if (!e.shown) say(e.message, true); };
const el = (tag, text, attrs) => {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
};
const when = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\\.\\d+Z$/, ' UTC') : '');
const api = async (method, path) => {
  const res = await fetch('/admin/api' + path, { method, headers: { authorization: 'Bearer ' + state.token } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) { showLogin('The admin token was refused.'); throw Object.assign(new Error('unauthorised'), { shown: true }); }
  if (!res.ok) throw new Error(body.error || 'HTTP ' + res.status);
  return body;
};
const button = (label, onClick, attrs) => {
  const b = el('button', label, Object.assign({ type: 'button' }, attrs || {}));
  b.addEventListener('click', () => onClick().catch(report));
  return b;
};
const showLogin = (message) => {
  $('login').classList.remove('hidden');
  $('main').classList.add('hidden');
  if (message) say(message, true);
};

async function loadSubscriptions() {
  const { subscriptions } = await api('GET', '/subscriptions');
  const box = $('subscriptions');
  box.replaceChildren();
  if (!subscriptions.length) box.append(el('p', 'No subscriptions.'));
  const byLocation = new Map();
  for (const s of subscriptions) {
    if (!byLocation.has(s.locationId)) byLocation.set(s.locationId, []);
    byLocation.get(s.locationId).push(s);
  }
  for (const [locationId, subs] of byLocation) {
    box.append(el('h3', 'Location / store ' + locationId));
    const table = el('table', undefined, { 'data-location': locationId });
    const head = el('tr');
    for (const h of ['Event', 'Hook host', 'Subscribed', 'State', 'Pending', 'Dead', '']) head.append(el('th', h));
    table.append(head);
    for (const s of subs) {
      const tr = el('tr', undefined, { 'data-subscription': s.id, class: s.paused ? 'paused' : '' });
      tr.append(el('td', s.event), el('td', s.targetHost), el('td', when(s.createdAt)), el('td', s.paused ? 'paused' : 'active', { 'data-field': 'state' }),
        el('td', s.pending, { 'data-field': 'pending' }), el('td', s.dead, { 'data-field': 'dead' }));
      const actions = el('td');
      actions.append(
        s.paused
          ? button('Resume', async () => { await api('POST', '/subscriptions/' + encodeURIComponent(s.id) + '/resume'); say('Resumed ' + s.id); await refresh(); }, { 'data-action': 'resume' })
          : button('Pause', async () => { await api('POST', '/subscriptions/' + encodeURIComponent(s.id) + '/pause'); say('Paused ' + s.id); await refresh(); }, { 'data-action': 'pause' }),
        button('Re-send dead (' + s.dead + ')', async () => {
          const { resent } = await api('POST', '/subscriptions/' + encodeURIComponent(s.id) + '/resend-dead');
          say('Re-sent ' + resent + ' dead deliveries of ' + s.id); await refresh();
        }, Object.assign({ 'data-action': 'resend-dead' }, s.dead ? {} : { disabled: '' })),
        button('Deliveries', async () => { state.subscription = s.id; await refresh(); }, { 'data-action': 'show' }),
      );
      tr.append(actions);
      table.append(tr);
    }
    box.append(table);
  }
}

async function loadDeliveries(kind) {
  const q = '?state=' + kind + (state.subscription ? '&subscription=' + encodeURIComponent(state.subscription) : '');
  const { deliveries } = await api('GET', '/deliveries' + q);
  const table = $(kind);
  table.replaceChildren();
  const head = el('tr');
  for (const h of ['Delivery', 'Event', 'Event id', 'Location / store', 'Received', 'Attempts', kind === 'pending' ? 'Next try' : 'Subscription', 'Last error', '']) head.append(el('th', h));
  table.append(head);
  for (const d of deliveries) {
    const tr = el('tr', undefined, { 'data-delivery': d.id });
    tr.append(el('td', d.id), el('td', d.eventType), el('td', d.eventId), el('td', d.locationId), el('td', when(d.receivedAt)),
      el('td', d.attempts, { 'data-field': 'attempts' }), el('td', kind === 'pending' ? when(d.nextAt) : d.subscriptionId), el('td', d.lastError || '', { 'data-field': 'error' }));
    const actions = el('td');
    if (kind === 'dead') actions.append(button('Re-send', async () => {
      await api('POST', '/deliveries/' + encodeURIComponent(d.id) + '/resend'); say('Re-sent delivery ' + d.id); await refresh();
    }, { 'data-action': 'resend' }));
    tr.append(actions);
    table.append(tr);
  }
}

async function refresh() {
  $('filter').textContent = state.subscription ? 'of subscription ' + state.subscription : 'of every subscription';
  $('all').classList.toggle('hidden', !state.subscription);
  await loadSubscriptions();
  await loadDeliveries('pending');
  await loadDeliveries('dead');
  document.body.setAttribute('data-loaded', String(Date.now()));
}

$('login-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  state.token = $('token').value.trim();
  sessionStorage.setItem('relayAdminToken', state.token);
  $('token').value = '';
  $('login').classList.add('hidden');
  $('main').classList.remove('hidden');
  say('');
  refresh().catch(report);
});
$('refresh').addEventListener('click', () => refresh().catch(report));
$('all').addEventListener('click', () => { state.subscription = ''; refresh().catch(report); });
$('logout').addEventListener('click', () => { sessionStorage.removeItem('relayAdminToken'); state.token = ''; showLogin('Signed out.'); });
if (state.token) { $('login').classList.add('hidden'); $('main').classList.remove('hidden'); refresh().catch(report); }
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Only this page's own script and style run; it talks to this relay only and cannot be framed. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Webhook relay console</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Webhook relay console</h1>
<p id="status" role="status"></p>
<form id="login-form" class="" autocomplete="off">
  <div id="login">
    <label for="token">Admin token (RELAY_ADMIN_TOKEN)</label>
    <input id="token" type="password" size="40">
    <button id="sign-in" type="submit">Open</button>
  </div>
</form>
<div id="main" class="hidden">
  <p><button id="refresh" type="button">Refresh</button> <button id="logout" type="button">Forget token</button></p>
  <h2>Subscriptions</h2>
  <div id="subscriptions"></div>
  <h2>Deliveries <span id="filter"></span> <button id="all" type="button" class="hidden">Show all</button></h2>
  <h3>Pending</h3>
  <table id="pending"></table>
  <h3>Dead (given up)</h3>
  <table id="dead"></table>
</div>
<script>${SCRIPT}</script>
</body>
</html>
`;
