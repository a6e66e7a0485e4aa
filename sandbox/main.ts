/**
 * `npm run sandbox` — starts the GHL sandbox on SANDBOX_PORT (default 4010) and stays up until Ctrl-C.
 */
import { startSandbox } from './server.js';

async function main(): Promise<void> {
  const port = Number(process.env['SANDBOX_PORT'] ?? 4010);
  const latencyMs = process.env['SANDBOX_LATENCY_MS'] ? Number(process.env['SANDBOX_LATENCY_MS']) : undefined;
  const searchIndexDelayMs = process.env['SANDBOX_SEARCH_DELAY_MS'] ? Number(process.env['SANDBOX_SEARCH_DELAY_MS']) : undefined;
  const webhookUrl = process.env['SANDBOX_WEBHOOK_URL'] || undefined;
  const sb = await startSandbox({
    port,
    latencyMs,
    searchIndexDelayMs,
    seed: process.env['SANDBOX_SEED'] === 'empty' ? 'empty' : 'demo',
    webhooks: { url: webhookUrl },
  });
  const loc = sb.state.location;
  const lines = [
    '',
    `GHL API v2 sandbox listening on ${sb.url}`,
    '',
    `  client id      ${sb.clientId}`,
    `  client secret  ${sb.clientSecret}`,
    `  location       ${loc.id}  (${loc.name})`,
    `  authorize URL  ${sb.url}/v2/oauth/chooselocation?response_type=code&client_id=${sb.clientId}&redirect_uri=<redirect>&scope=contacts.readonly%20contacts.write`,
    `  token URL      ${sb.url}/oauth/token`,
    '',
    '.env lines:',
    `GHL_API_BASE_URL=${sb.url}`,
    `GHL_AUTH_BASE_URL=${sb.url}`,
    `CLIENT_ID=${sb.clientId}`,
    `CLIENT_SECRET=${sb.clientSecret}`,
    '',
    `Webhooks (test key, changes each start): ${webhookUrl ?? 'off (SANDBOX_WEBHOOK_URL, or POST /_sandbox/webhooks {"url"})'}`,
    `RELAY_GHL_PUBLIC_KEY=${sb.webhooks.publicKey}`,
    '',
    `Control: GET ${sb.url}/_sandbox/requests | GET ${sb.url}/_sandbox/state | POST ${sb.url}/_sandbox/reset | POST ${sb.url}/_sandbox/faults | POST ${sb.url}/_sandbox/tokens`,
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void sb.close().then(() => {
      process.stdout.write(`GHL API v2 sandbox stopped (${signal})\n`);
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
