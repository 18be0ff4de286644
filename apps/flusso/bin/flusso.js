#!/usr/bin/env node
// Before any module loads: keep V8's young generation at its initial size (see
// README, "Footprint"); then load the CLI.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
const { runMain } = await import('../dist/process.js');
runMain();
