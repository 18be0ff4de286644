// The apps' one pino set-up: JSON lines to stderr (fd 2), pretty when stderr is a
// terminal. stderr keeps stdout free for command output (flusso's stdout sink
// writes NDJSON there; `osproxy` prints only help and version there).
import pino, { type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  /** pino level; `info` when unset. */
  readonly level?: string;
  /** Force pretty (true) or JSON (false); by default pretty when stderr is a TTY. */
  readonly pretty?: boolean;
  /** Where JSON lines go (tests pass a stream); stderr when unset. Never pretty. */
  readonly destination?: DestinationStream;
}

/** A root logger for an app process. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (options.destination !== undefined) return pino({ level }, options.destination);
  if (options.pretty ?? process.stderr.isTTY) {
    return pino({ level, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino({ level }, pino.destination(2));
}
