// osproxy settings: every key is a config-file key (lower case), an OSPROXY_* env
// variable and a --flag. Precedence: file < env < flags; unknown keys are errors.
import { envBooleanWords, parseEnvBoolean } from '@flusso/app-kit';
import { z } from 'zod';

const bool = z
  .union([
    z.boolean(),
    z.string().refine((v) => envBooleanWords.includes(v.trim().toLowerCase()), {
      message: `expected one of ${envBooleanWords.join(', ')}`,
    }),
  ])
  .transform((v) => (typeof v === 'boolean' ? v : parseEnvBoolean(v, 'boolean')));
const int = (def: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/)])
    .transform(Number)
    .default(def);
const list = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

export const settingsSchema = z.strictObject({
  config: z.string().optional(),
  bind: z.string().default('127.0.0.1:8080'),
  upstream: z.string().url().default('http://127.0.0.1:9200'),
  /** CA bundle (PEM file) an https upstream's certificate is checked against (default: system roots). */
  upstream_tls_ca: z.string().optional(),
  index: z.string().default('osproxy-shared'),
  tokens: z.string().default(''),
  allow_cleartext_mutation: bool.default(false),
  tls_cert: z.string().optional(),
  tls_key: z.string().optional(),
  tls_client_ca: z.string().optional(),
  max_body_bytes: int(8 * 1024 * 1024),
  max_inflight_bytes: int(256 * 1024 * 1024),
  /** One tenant's share of the in-flight bytes (charged as they arrive). */
  max_inflight_bytes_per_tenant: int(64 * 1024 * 1024),
  /** A request's headers, then its body, must each arrive within this (408 past it). */
  body_timeout_ms: int(30_000),
  upstream_timeout_ms: int(30_000),
  breaker_threshold: int(5),
  breaker_cooldown_ms: int(10_000),
  cursor_affinity_key: z.string().optional(),
  passthrough_cluster: z.string().optional(),
  passthrough_endpoint: z.string().url().optional(),
  passthrough_indices: list.default([]),
  /** Operator principals that may use passthrough; empty = every operator (token without a tenant). */
  passthrough_principals: list.default([]),
  admin_prefixes: list.default(['/_cat/', '/_cluster/', '/_nodes/']),
  /** Client headers relayed upstream besides content-type, accept and x-opaque-id. */
  forward_header_allow: list.default([]),
  debug_endpoints: bool.default(true),
  /** The admin listener (metrics, explain) as host:port; `off` for none. Never the tenant port. */
  admin_bind: z.string().default('127.0.0.1:9091'),
  /** Bearer token the admin listener requires; unset = loopback trust only. */
  admin_token: z.string().min(16).optional(),
  kafka_brokers: list.default([]),
  kafka_topic: z.string().default('osproxy-writes'),
  kafka_tls: bool.default(false),
  /** CA bundle (PEM file) the brokers' certificates are checked against; implies kafka_tls. */
  kafka_tls_ca: z.string().optional(),
  kafka_sasl_mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  kafka_sasl_username: z.string().optional(),
  kafka_sasl_password: z.string().optional(),
  async_default: bool.default(false),
  /** The reference's id-from-body rule (`{partition}:{body.<field>}`); absent = auto ids, as in OpenSearch. */
  id_from_body: z
    .string()
    .regex(/^[A-Za-z_]\w*$/)
    .optional(),
  /** Deepest nesting of query clauses and aggregation levels a search body may have. */
  max_query_depth: int(64),
  /** `osproxy apply`: its consumer group on kafka_topic. */
  apply_group: z.string().min(1).default('osproxy-apply'),
  /** `osproxy apply`: where each op's outcome goes; default `<kafka_topic>-outcomes`. */
  apply_outcome_topic: z.string().min(1).optional(),
  /** `osproxy apply`: where writes the cluster refuses go; default `<kafka_topic>-dead-letters`. */
  apply_dead_letter_topic: z.string().min(1).optional(),
  /** `osproxy apply`: its admin listener (metrics) as host:port; `off` for none. */
  apply_admin_bind: z.string().default('127.0.0.1:9092'),
  /** `osproxy apply`: how long a member that died holds its partitions. */
  apply_session_timeout_ms: int(30_000),
  log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  upstream_http2: bool.default(false),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingKey = keyof z.input<typeof settingsSchema>;

export const settingKeys = Object.keys(settingsSchema.shape) as SettingKey[];

export function envName(key: string): string {
  return `OSPROXY_${key.toUpperCase()}`;
}

export function flagName(key: string): string {
  return `--${key.replaceAll('_', '-')}`;
}
