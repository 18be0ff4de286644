// Samples the source's slot lag out of band and reports each known value.
import type { ChangeCapture, Clock } from '@flusso/core';

export async function pollLag(
  capture: Pick<ChangeCapture, 'lagBytes'>,
  report: (bytes: number) => void,
  options: { clock: Clock; intervalMs: number; signal: AbortSignal },
): Promise<void> {
  while (!options.signal.aborted) {
    try {
      const lag = await capture.lagBytes();
      if (lag !== null) report(Number(lag));
    } catch {
      // A failed sample is skipped; the pipeline reports source failures itself.
    }
    await options.clock.sleep(options.intervalMs, options.signal).catch(() => undefined);
  }
}
