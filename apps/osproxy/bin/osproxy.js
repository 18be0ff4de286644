#!/usr/bin/env node
// V8's startup settings before any other module loads (src/process/startup-flags.ts);
// main.ts ends them once the command's work starts.
const { beginStartup } = await import('../dist/process/startup-flags.js');
beginStartup();
const { runMain } = await import('../dist/main.js');
runMain();
