// SIGTERM/SIGINT, once: the first signal starts a drain; its outcome becomes the
// exit code. A second signal while draining exits at once (130).
import { ExitCode } from './exit-code.js';

export interface ShutdownOptions {
  /** Where signals come from (tests pass an EventEmitter); `process` by default. */
  readonly source?: NodeJS.EventEmitter;
  /** Called on a second signal while draining; `process.exit(130)` by default. */
  readonly onForce?: () => void;
  /** Stops listening when aborted (the process ends another way); the result then never settles. */
  readonly until?: AbortSignal;
}

/**
 * Resolves with the exit code once `stop` (called with the signal's name) has
 * drained: `ExitCode.ok` when it resolves, `ExitCode.failure` when it rejects.
 */
export function onShutdownSignals(
  stop: (signal: NodeJS.Signals) => Promise<unknown>,
  options: ShutdownOptions = {},
): Promise<ExitCode> {
  const source = options.source ?? process;
  return new Promise<ExitCode>((resolve) => {
    let draining = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (draining) {
        (options.onForce ?? (() => process.exit(130)))();
        return;
      }
      draining = true;
      stop(signal).then(
        () => done(ExitCode.ok),
        () => done(ExitCode.failure),
      );
    };
    const onTerm = () => onSignal('SIGTERM');
    const onInt = () => onSignal('SIGINT');
    const done = (code: ExitCode) => {
      source.off('SIGTERM', onTerm);
      source.off('SIGINT', onInt);
      resolve(code);
    };
    source.on('SIGTERM', onTerm);
    source.on('SIGINT', onInt);
    options.until?.addEventListener('abort', () => {
      source.off('SIGTERM', onTerm);
      source.off('SIGINT', onInt);
    });
  });
}
