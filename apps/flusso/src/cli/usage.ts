// `flusso --help` and `flusso <command> --help`: the overview and each command's usage.

export const USAGE = `usage: flusso <command> [flags]

commands:
  build     compile flusso.toml and its schemas into flusso.lock   (-c FILE, -o FILE)
  check     validate config, schemas and the live catalog         (--offline, --format human|json)
  run       run the pipeline                                      (--config F | --lock F, --skip-backfill, --slot, --role capture|worker|all, ...)
  schema    print a JSON Schema: flusso schema config|index
  indexes   list index states of a running daemon                 (--server URL)
  reindex   rebuild an index in a running daemon                  (reindex <index>)
  dlq       dead letters: list|replay|purge                        (--index, --sink, --id, --since, --format)

flusso <command> --help prints that command's usage; flusso --version the version.
Every flag also reads FLUSSO_<FLAG> (the flag wins).`;

const REMOTE_FLAGS = `  --server URL             the daemon's private surface (default http://127.0.0.1:9465)
  --admin-user USER        HTTP Basic user (default admin)
  --admin-password PASS    HTTP Basic password (default flusso)`;

const commandUsages: Readonly<Record<string, string>> = {
  build: `usage: flusso build [-c FILE] [-o FILE]

Compiles flusso.toml and its schemas into a lock file.

  -c, --config FILE        the config (default flusso.toml)
  -o, --out FILE           the lock to write (default flusso.lock)`,
  check: `usage: flusso check [-c FILE] [--offline] [--format human|json] [--publication NAME]

Validates config and schemas and, unless --offline, the live catalog.`,
  run: `usage: flusso run [--config FILE | --lock FILE] [flags]

Runs the pipeline until SIGINT/SIGTERM.

  -c, --config FILE        compile this config (default flusso.toml)
  --lock FILE              run a compiled lock instead
  --skip-backfill          stream changes only
  --slot NAME              replication slot (default flusso)
  --publication NAME       publication (default flusso)
  --manage-publication B   create/alter the publication (true/false)
  --public-address H:P     metrics, health and status page (default 127.0.0.1:9464)
  --private-address H:P    admin surface (default 127.0.0.1:9465)
  --admin-user U, --admin-password P
  --index-prefix P, --lag-poll-secs N, --queue-capacity N, --pretty
  --log-level LEVEL        pino level (default info)
  --otlp-endpoint URL      OTLP/HTTP collector for traces (wins over OTEL_EXPORTER_OTLP_ENDPOINT)
  --role capture|worker|all  Kafka mode role (default all)`,
  schema: `usage: flusso schema config|index

Prints the JSON Schema of flusso.toml or of an index schema file.`,
  indexes: `usage: flusso indexes [--server URL]

Lists the index states of a running daemon.

${REMOTE_FLAGS}`,
  reindex: `usage: flusso reindex <index> [--server URL]

Rebuilds an index beside the live one in a running daemon.

${REMOTE_FLAGS}`,
  dlq: `usage: flusso dlq list [--index I] [--sink S] [--format human|json]
       flusso dlq replay [--index I] [--id ID] [--since T]
       flusso dlq purge [--index I] [--id ID]

Dead letters of the configured pipeline (-c FILE | --lock FILE).`,
};

/** The usage of `command`, or the overview for an unknown one. */
export function commandUsage(command: string): string {
  return commandUsages[command] ?? USAGE;
}
