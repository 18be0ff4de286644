// The process edge: wires argv, env, stdio and SIGINT/SIGTERM into `main`.
import { ExitCode, onShutdownSignals } from '@flusso/app-kit';
import { main } from './main.js';

export function runMain(): void {
  const shutdown = new AbortController();
  const finished = main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    shutdown: shutdown.signal,
  });
  // The first signal aborts the command, which drains and returns its own code;
  // a second one exits 130 at once.
  void onShutdownSignals(async (signal) => {
    shutdown.abort(new Error(`received ${signal}`));
    await finished;
  });
  finished.then(
    (code) => {
      process.exitCode = code;
      // Leave nothing (pools, timers) holding the loop open after the command is done.
      setImmediate(() => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`flusso: internal error: ${String(error)}\n`);
      process.exit(ExitCode.failure);
    },
  );
}
