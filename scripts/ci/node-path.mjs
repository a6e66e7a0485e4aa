// Prints the path of the Node that scripts/run.mjs picks (22+): relay/ci-image-steps.sh runs the relay's copy with it.
console.log(process.execPath);
