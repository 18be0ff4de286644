// `osproxy`: settings from file → OSPROXY_* env → flags, then serve until
// SIGTERM/SIGINT, draining in-flight requests before exit 0. Bad settings exit 2.
// `osproxy apply` is the second command: it applies the async-write topic.
import { describeError, isFlussoError } from '@flusso/core';
import { applyMain } from './apply/apply-main.js';
import { serveHelp } from './config/help.js';
import { loadSettings } from './config/load-settings.js';
import { startProxy } from './server/start.js';
import { createLogger } from './telemetry/logger.js';

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv[0] === 'apply') return applyMain(argv.slice(1), env);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(serveHelp());
    return 0;
  }
  let settings: ReturnType<typeof loadSettings>;
  try {
    settings = loadSettings(argv, env);
  } catch (error) {
    process.stderr.write(`osproxy: ${describeError(error)}\n`);
    return 2;
  }
  const logger = createLogger({ level: settings.log_level });
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  try {
    proxy = await startProxy(settings, logger);
  } catch (error) {
    process.stderr.write(`osproxy: ${describeError(error)}\n`);
    return isFlussoError(error, 'config_invalid', 'invalid_name') ? 2 : 1;
  }
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'draining');
      proxy.stop().then(
        () => {
          logger.info('stopped');
          resolve(0);
        },
        () => resolve(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

export function runMain(): void {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
      // Pino flushes on exit; a short delay lets the last lines reach stderr.
      setTimeout(() => process.exit(code), 50).unref();
    },
    (error: unknown) => {
      process.stderr.write(`osproxy: ${describeError(error)}\n`);
      process.exit(1);
    },
  );
}
