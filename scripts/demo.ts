/** `npm run demo`: the three Ecwid → GHL flows against the local sandbox, with a readable transcript. */
import { runDemo } from '../recipes/demo/story.js';

const result = await runDemo((line = '') => console.log(line));
process.exitCode = result.ok ? 0 : 1;
