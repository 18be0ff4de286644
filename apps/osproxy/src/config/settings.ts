// osproxy settings: every key is a config-file key (lower case), an OSPROXY_* env
// variable and a --flag. Precedence: file < env < flags; unknown keys are errors.
import {
  bool,
  int,
  list,
  oneOf,
  optionalOneOf,
  optionalText,
  type SettingKind,
  SettingValueError,
  text,
} from './setting-kinds.js';

/** Every setting and the kind of value it takes (with its default). */
export const settingsTable = {
  config: optionalText(),
  bind: text('127.0.0.1:8080'),
  upstream: text('http://127.0.0.1:9200', { url: true }),
  /** CA bundle (PEM file) an https upstream's certificate is checked against (default: system roots). */
  upstream_tls_ca: optionalText(),
  index: text('osproxy-shared'),
  /**
   * Partitions on a DedicatedIndex of the tenancy cluster, `partition=template` each
   * (`acme=acme-{index}`, `globex={index}.{partition}`): read and written unfiltered.
   */
  dedicated_indices: list([]),
  /** The flusso metadata index on the tenancy cluster: no dedicated index may be it. */
  meta_index: text('flusso_meta', { min: 1 }),
  /** Other names on the tenancy cluster no dedicated index may be (aliases, ...); `name*` = a prefix. */
  reserved_indices: list([]),
  tokens: text(''),
  allow_cleartext_mutation: bool(false),
  tls_cert: optionalText(),
  tls_key: optionalText(),
  tls_client_ca: optionalText(),
  max_body_bytes: int(8 * 1024 * 1024),
  max_inflight_bytes: int(256 * 1024 * 1024),
  /** One tenant's share of the in-flight bytes (charged as they arrive). */
  max_inflight_bytes_per_tenant: int(64 * 1024 * 1024),
  /** A request's headers, then its body, must each arrive within this (408 past it). */
  body_timeout_ms: int(30_000),
  upstream_timeout_ms: int(30_000),
  breaker_threshold: int(5),
  breaker_cooldown_ms: int(10_000),
  cursor_affinity_key: optionalText(),
  passthrough_cluster: optionalText(),
  passthrough_endpoint: optionalText({ url: true }),
  passthrough_indices: list([]),
  /** Operator principals that may use passthrough; empty = every operator (token without a tenant). */
  passthrough_principals: list([]),
  admin_prefixes: list(['/_cat/', '/_cluster/', '/_nodes/']),
  /** Client headers relayed upstream besides content-type, accept and x-opaque-id. */
  forward_header_allow: list([]),
  debug_endpoints: bool(true),
  /** The admin listener (metrics, explain) as host:port; `off` for none. Never the tenant port. */
  admin_bind: text('127.0.0.1:9091'),
  /** Bearer token the admin listener requires; unset = loopback trust only. */
  admin_token: optionalText({ min: 16 }),
  kafka_brokers: list([]),
  kafka_topic: text('osproxy-writes'),
  kafka_tls: bool(false),
  /** CA bundle (PEM file) the brokers' certificates are checked against; implies kafka_tls. */
  kafka_tls_ca: optionalText(),
  kafka_sasl_mechanism: optionalOneOf(['plain', 'scram-sha-256', 'scram-sha-512']),
  kafka_sasl_username: optionalText(),
  kafka_sasl_password: optionalText(),
  async_default: bool(false),
  /** The reference's id-from-body rule (`{partition}:{body.<field>}`); absent = auto ids, as in OpenSearch. */
  id_from_body: optionalText({ pattern: /^[A-Za-z_]\w*$/ }),
  /** Open scrolls and PITs one tenant may hold at once in this process (429 past it). */
  max_open_contexts_per_tenant: int(50),
  /** Longest `scroll` / PIT `keep_alive` a tenant may ask for (400 past it), an OpenSearch time value. */
  max_context_keep_alive: text('10m', { pattern: /^\d+(nanos|micros|ms|s|m|h|d)$/ }),
  /** Deepest nesting of query clauses and aggregation levels a search body may have. */
  max_query_depth: int(64),
  /** `osproxy apply`: its consumer group on kafka_topic. */
  apply_group: text('osproxy-apply', { min: 1 }),
  /** `osproxy apply`: where each op's outcome goes; default `<kafka_topic>-outcomes`. */
  apply_outcome_topic: optionalText({ min: 1 }),
  /** `osproxy apply`: where writes the cluster refuses go; default `<kafka_topic>-dead-letters`. */
  apply_dead_letter_topic: optionalText({ min: 1 }),
  /** `osproxy apply`: its admin listener (metrics) as host:port; `off` for none. */
  apply_admin_bind: text('127.0.0.1:9092'),
  /** `osproxy apply`: how long a member that died holds its partitions. */
  apply_session_timeout_ms: int(30_000),
  log_level: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'info'),
  upstream_http2: bool(false),
} satisfies Record<string, SettingKind<unknown>>;

export type SettingKey = keyof typeof settingsTable;
export type Settings = { -readonly [K in SettingKey]: ReturnType<(typeof settingsTable)[K]> };

export const settingKeys = Object.keys(settingsTable) as SettingKey[];

/** Every setting read, or the first one whose raw value does not fit, and why. */
export type SettingsRead =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly key: SettingKey; readonly message: string };

/** Reads every setting from the merged layers (keys already known to be settings). */
export function readSettings(merged: Readonly<Record<string, unknown>>): SettingsRead {
  const settings: Record<string, unknown> = {};
  for (const key of settingKeys) {
    try {
      settings[key] = settingsTable[key](merged[key]);
    } catch (error) {
      if (error instanceof SettingValueError) return { ok: false, key, message: error.message };
      throw error;
    }
  }
  return { ok: true, settings: settings as Settings };
}

export function envName(key: string): string {
  return `OSPROXY_${key.toUpperCase()}`;
}

export function flagName(key: string): string {
  return `--${key.replaceAll('_', '-')}`;
}
