// The cluster the sink's contract tests run against: the emulator by default, a real
// one, unchanged, when OPENSEARCH_URL is set. `useTestCluster()` starts it before the
// file's tests and stops it after; `url`, `reader` and `emu` are live bindings set by
// then (an ES module's `let` exports are read at each use, not copied at import).
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';

export type { Emulator };

import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll } from 'vitest';

/** The real cluster's URL, when the tests run against one. */
export const real = process.env.OPENSEARCH_URL;
/** The emulator, when the tests run against it (fault injection, request log). */
export let emu: Emulator | null = null;
export let url: string;
/** A plain client to read back what the sink wrote. */
export let reader: Client;

export function useTestCluster(): void {
  beforeAll(async () => {
    if (!real) emu = await startEmulator();
    url = real ?? (emu as Emulator).url;
    reader = new Client({ node: url, ssl: { rejectUnauthorized: false } });
  });
  afterAll(async () => {
    await reader?.close();
    await emu?.close();
  });
}
