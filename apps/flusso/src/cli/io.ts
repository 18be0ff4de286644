// The process edges a command may touch, injected so tests run `main` in-process.
import type { Writable } from 'node:stream';

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  readonly shutdown: AbortSignal;
}

export function print(out: Writable, text: string): void {
  out.write(text.endsWith('\n') ? text : `${text}\n`);
}
