#!/usr/bin/env node
// Before any module loads (see README, "Footprint"): V8's young generation stays at
// its initial size through startup (main.ts restores V8's sizing once listening),
// and undici's WebAssembly HTTP parser is compiled by the baseline compiler only.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--liftoff-only');
const { runMain } = await import('../dist/main.js');
runMain();
