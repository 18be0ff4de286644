// `osproxy apply`: settings from file → OSPROXY_* env → flags (the server's own),
// then consume until SIGTERM/SIGINT, finishing and committing the batch in flight
// before exit 0. Bad settings exit 2; a consumer that stops on its own exits 1.
import { createLogger, ExitCode, onShutdownSignals } from '@flusso/app-kit';
import { describeError, isFlussoError } from '@flusso/core';
import { applyFlagAliases } from '../config/help.js';
import { loadSettings } from '../config/load-settings.js';
import type { Settings } from '../config/settings.js';
import { type RunningApplier, startApplier } from './start-applier.js';

const aliased = (argv: readonly string[]): string[] =>
  argv.map((arg) => {
    const [flag = '', inline] = arg.split(/=(.*)/s, 2);
    const long = applyFlagAliases[flag];
    return long === undefined ? arg : inline === undefined ? long : `${long}=${inline}`;
  });

export async function applyMain(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let settings: Settings;
  try {
    settings = loadSettings(aliased(argv), env);
  } catch (error) {
    process.stderr.write(`osproxy apply: ${describeError(error)}\n`);
    return ExitCode.usage;
  }
  const logger = createLogger({ level: settings.log_level }).child({ command: 'apply' });
  let applier: RunningApplier;
  try {
    applier = await startApplier(settings, logger);
  } catch (error) {
    process.stderr.write(`osproxy apply: ${describeError(error)}\n`);
    return isFlussoError(error, 'config_invalid', 'invalid_name') ? ExitCode.usage : ExitCode.failure;
  }
  const consumerStopped = new AbortController();
  const drained = onShutdownSignals(
    async (signal) => {
      logger.info({ signal }, 'stopping');
      try {
        await applier.stop();
      } catch (error) {
        logger.error({ reason: describeError(error) }, 'stop failed');
        throw error;
      }
      logger.info('stopped');
    },
    { until: consumerStopped.signal },
  );
  const ended = await Promise.race([drained, applier.crashed.then((error) => ({ error }))]);
  if (typeof ended === 'number') return ended;
  consumerStopped.abort();
  logger.error({ reason: describeError(ended.error) }, 'consumer stopped');
  await applier.stop().catch(() => undefined);
  return ExitCode.failure;
}
