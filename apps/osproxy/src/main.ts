// `osproxy`: settings from file → OSPROXY_* env → flags, then serve until
// SIGTERM/SIGINT, draining in-flight requests before exit 0. Bad settings exit 2.
// `osproxy apply` is the second command: it applies the async-write topic.
import { createLogger, ExitCode, helpRequest, onShutdownSignals, packageVersion } from '@flusso/app-kit';
import { describeError, isFlussoError } from '@flusso/core';
import { applyHelp, serveHelp } from './config/help.js';
import { loadSettings } from './config/load-settings.js';
import { boundHeapGrowth, serveHeapBounds } from './process/heap-bounds.js';
import { endStartup } from './process/startup-flags.js';
import { youngGenerationUnderLoad } from './process/young-generation.js';
import { startProxy } from './server/start.js';
import { tracesFromEnv } from './telemetry/traces.js';

/** `--help`/`--version` for either command: the text for stdout, or undefined. */
function helpText(command: 'serve' | 'apply', argv: readonly string[]): string | undefined {
  const asked = helpRequest(argv);
  if (asked === 'version') return `${packageVersion(new URL('../package.json', import.meta.url))}\n`;
  if (asked === 'help') return command === 'apply' ? applyHelp() : serveHelp();
  return undefined;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const command = argv[0] === 'apply' ? 'apply' : 'serve';
  const rest = command === 'apply' ? argv.slice(1) : argv;
  const help = helpText(command, rest);
  if (help !== undefined) {
    process.stdout.write(help);
    return ExitCode.ok;
  }
  if (command === 'apply') {
    endStartup();
    boundHeapGrowth();
    // The applier (Kafka consumer, bulk planner) loads only for its own command.
    const { applyMain } = await import('./apply/apply-main.js');
    return applyMain(rest, env);
  }
  let settings: ReturnType<typeof loadSettings>;
  try {
    settings = loadSettings(argv, env);
  } catch (error) {
    process.stderr.write(`osproxy: ${describeError(error)}\n`);
    return ExitCode.usage;
  }
  const logger = createLogger({ level: settings.log_level });
  const tracing = tracesFromEnv(env, logger);
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  try {
    proxy = await startProxy(settings, logger, tracing?.traces);
  } catch (error) {
    await tracing?.close();
    process.stderr.write(`osproxy: ${describeError(error)}\n`);
    return isFlussoError(error, 'config_invalid', 'invalid_name') ? ExitCode.usage : ExitCode.failure;
  }
  // bin/osproxy.js held the young generation at 1 MiB and TurboFan off through startup;
  // from here code is optimised again, the old generation grows within bounds and the
  // young one grows while busy and is given back once quiet.
  endStartup();
  boundHeapGrowth(serveHeapBounds);
  youngGenerationUnderLoad();
  return onShutdownSignals(async (signal) => {
    logger.info({ signal }, 'draining');
    await proxy.stop();
    await tracing?.close();
    logger.info('stopped');
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
      process.exit(ExitCode.failure);
    },
  );
}
