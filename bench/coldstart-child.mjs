// One cold start, in a fresh Node process: `node bench/coldstart-child.mjs <specifier or file URL>...`.
// Imports the targets in order and prints JSON: time from process start until the last import
// finished, the imports alone, and memory.
const targets = process.argv.slice(2);
const before = performance.now();
let keys = 0;
for (const target of targets) {
  const mod = await import(target);
  // Touch the definition, as Zapier's wrapper does when it builds the handler.
  keys += Object.keys(mod.default ?? mod).length;
}
const loadedMs = performance.now();
const mem = process.memoryUsage();
process.stdout.write(JSON.stringify({ loadedMs, importMs: loadedMs - before, rss: mem.rss, heapUsed: mem.heapUsed, keys }));
