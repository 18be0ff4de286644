#!/usr/bin/env node
// The emulator binary: a shim over the built entry (present before the first build, so
// installing the workspace never warns about a missing bin target).
await import('../dist/cli.js');
