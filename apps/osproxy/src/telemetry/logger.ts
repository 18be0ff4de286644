// pino JSON logs; pretty when stderr is a terminal. Logs go to stderr so stdout
// stays clean for the stdout sink's NDJSON.
import pino, { type Logger } from 'pino';

export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const level = options.level ?? 'info';
  if (options.pretty ?? process.stderr.isTTY) {
    return pino({ level, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino({ level }, pino.destination(2));
}
