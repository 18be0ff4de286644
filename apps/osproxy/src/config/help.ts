// `--help` for both commands: the usage line and every setting as flag, env
// variable and config key, generated from the one settings schema.
import { envName, flagName, settingKeys } from './settings.js';

const APPLY_KEYS = new Set([
  'config',
  'upstream',
  'upstream_tls_ca',
  'upstream_timeout_ms',
  'upstream_http2',
  'breaker_threshold',
  'breaker_cooldown_ms',
  'kafka_brokers',
  'kafka_topic',
  'kafka_tls',
  'kafka_tls_ca',
  'kafka_sasl_mechanism',
  'kafka_sasl_username',
  'kafka_sasl_password',
  'admin_token',
  'log_level',
]);

/** Short flags `osproxy apply` also takes, for its own settings. */
export const applyFlagAliases: Readonly<Record<string, string>> = {
  '--group': '--apply-group',
  '--outcome-topic': '--apply-outcome-topic',
  '--dead-letter-topic': '--apply-dead-letter-topic',
  '--admin-bind': '--apply-admin-bind',
};

function table(keys: readonly string[]): string {
  return keys.map((k) => `  ${flagName(k).padEnd(32)} ${envName(k).padEnd(36)} ${k}`).join('\n');
}

export function serveHelp(): string {
  return `Usage: osproxy [flags]        serve tenants in front of OpenSearch
       osproxy apply [flags]  apply the async-write topic to the cluster (osproxy apply --help)

Settings (config file < OSPROXY_* environment < flags):
  ${'flag'.padEnd(32)} ${'environment'.padEnd(36)} config key
${table(settingKeys.filter((k) => !k.startsWith('apply_')))}
`;
}

export function applyHelp(): string {
  const aliases = Object.entries(applyFlagAliases)
    .map(([short, long]) => `  ${short} = ${long}`)
    .join('\n');
  return `Usage: osproxy apply [flags]

Consumes kafka_topic as consumer group apply_group, applies each queued write to
the upstream cluster through _bulk (idempotent by offset, in order per tenant),
produces one outcome per write to the outcome topic and refused writes to the
dead-letter topic, then commits. SIGTERM/SIGINT: finish the batch, commit, exit 0.

Settings (config file < OSPROXY_* environment < flags):
  ${'flag'.padEnd(32)} ${'environment'.padEnd(36)} config key
${table(settingKeys.filter((k) => k.startsWith('apply_') || APPLY_KEYS.has(k)))}
Short flags:
${aliases}
`;
}
