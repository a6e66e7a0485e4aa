/** `npm run sandbox:ecwid`: the Ecwid sandbox on 127.0.0.1 (ECWID_SANDBOX_PORT, default 4020). */
import { startEcwidSandbox } from './server.js';

const sb = await startEcwidSandbox({ port: Number(process.env.ECWID_SANDBOX_PORT ?? 4020) });
console.log(`Ecwid sandbox on ${sb.url} (store ${sb.state.store.id}, "${sb.state.store.name}")`);
console.log('ecwid/.env lines:');
console.log(`ECWID_API_BASE_URL=${sb.apiBaseUrl}`);
console.log(`ECWID_OAUTH_BASE_URL=${sb.oauthBaseUrl}`);
console.log(`ECWID_CLIENT_ID=${sb.clientId}`);
console.log(`ECWID_CLIENT_SECRET=${sb.clientSecret}`);
