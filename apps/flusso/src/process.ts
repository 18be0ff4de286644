// The process edge: wires argv, env, stdio and SIGINT/SIGTERM into `main`.
import { main } from './main.js';

export function runMain(): void {
  const shutdown = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    shutdown.abort(new Error(`received ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    shutdown: shutdown.signal,
  }).then(
    (code) => {
      process.exitCode = code;
      // Leave nothing (pools, timers) holding the loop open after the command is done.
      setImmediate(() => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`flusso: internal error: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
