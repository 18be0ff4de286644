// The SASL option of the double and its resolved form: Kafka's mechanism names
// (what SaslHandshake compares and lists) and the users allowed to log in.

/** Mechanism names as kafkajs's `sasl.mechanism` spells them. */
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaDoubleSaslOptions {
  /** The enabled mechanism, or several (a client picks one in SaslHandshake). */
  readonly mechanism: SaslMechanism | readonly SaslMechanism[];
  /** Username → password, for every enabled mechanism. */
  readonly users: Readonly<Record<string, string>>;
}

export interface SaslConfig {
  /** Kafka's names ('PLAIN', 'SCRAM-SHA-256', ...), in the order given. */
  readonly mechanisms: readonly string[];
  readonly users: ReadonlyMap<string, string>;
}

export function resolveSasl(options: KafkaDoubleSaslOptions): SaslConfig {
  const given: readonly SaslMechanism[] =
    typeof options.mechanism === 'string' ? [options.mechanism] : options.mechanism;
  if (given.length === 0) throw new RangeError('sasl.mechanism: enable at least one mechanism');
  // A Map, not the record: a username like "constructor" must not find Object's prototype.
  return {
    mechanisms: [...new Set(given.map((m) => m.toUpperCase()))],
    users: new Map(Object.entries(options.users)),
  };
}
