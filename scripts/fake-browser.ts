/**
 * Plays the user's browser for `zapier-platform invoke auth start` in a non-interactive check:
 * the CLI opens the authorize URL through `open`/xdg-open, which runs `$BROWSER <url>`. This loads
 * the sandbox's chooselocation page, presses Approve and follows the redirect to the CLI's local
 * callback server (http://localhost:9000), exactly what a person would do.
 */
import { submitFirstForm } from '../recipes/zap-runner.js';

const url = process.argv[2];
if (!url) throw new Error('usage: fake-browser <authorize URL>');
const page = await fetch(url);
if (page.status !== 200) throw new Error(`authorize page answered ${page.status}`);
const approved = await submitFirstForm(url, await page.text());
const callback = approved.headers.get('location');
if (approved.status !== 302 || !callback) throw new Error(`approve answered ${approved.status}`);
const done = await fetch(callback);
console.error(`fake browser: ${new URL(callback).origin} answered ${done.status}: ${await done.text()}`);
