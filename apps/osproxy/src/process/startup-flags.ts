// V8 settings for osproxy's startup only (README, "Footprint"). Loading the modules
// and settings is the process's one burst of work before it serves: left alone, V8
// grows the young generation for it and optimises the hottest loader functions with
// TurboFan, whose code pages and compiler memory then stay resident at idle (~2.5 MiB
// for TurboFan alone). Flags set here apply from the next function compiled, so
// bin/osproxy.js calls `beginStartup` before importing anything else.
import { setFlagsFromString } from 'node:v8';

/** Before any other module loads. */
export function beginStartup(): void {
  // The young generation stays at its initial size; heap-bounds.ts takes over once serving.
  setFlagsFromString('--semi-space-growth-factor=1');
  // undici's WebAssembly HTTP parser is compiled by the baseline compiler only, for good:
  // optimising it cost ~10 MiB glibc kept, for no measured CPU per request.
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--no-opt');
}

/** Once the command's work starts (serving, or applying): the optimising compiler back on. */
export function endStartup(): void {
  setFlagsFromString('--opt');
}
