// Polling with a deadline and a guard (e.g. "flusso is still running"), so a
// benchmark fails fast with a reason instead of hanging.
export interface UntilOptions {
  readonly timeoutMs?: number;
  readonly everyMs?: number;
  /** Throws to abort the wait (called before each probe). */
  readonly guard?: () => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: UntilOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  for (;;) {
    options.guard?.();
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(options.everyMs ?? 20);
  }
}
