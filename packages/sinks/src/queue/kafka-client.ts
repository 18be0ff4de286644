// The kafkajs client settings the write queue and its consumer share: brokers,
// TLS (with an optional private CA), SASL, and bounded connect/request timeouts.
import type { KafkaConfig, SASLOptions } from 'kafkajs';

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** How to reach the brokers; the producer and the consumer take the same shape. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** Speak TLS to the brokers; `ca` replaces the system roots (PEM). */
  readonly tls?: { readonly ca?: string | Buffer };
  readonly sasl?: {
    readonly mechanism: KafkaSaslMechanism;
    readonly username: string;
    readonly password: string;
  };
  /** How long one broker request may take, default 10 000 ms. */
  readonly timeoutMs?: number;
}

// kafkajs types SASL as one object type per mechanism: the switch narrows ours onto it.
function saslOf(sasl: NonNullable<KafkaConnection['sasl']>): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/** The kafkajs client config for a connection (log level and retries left to the caller). */
export function kafkaConfigOf(options: KafkaConnection, clientId: string): KafkaConfig {
  return {
    clientId: options.clientId ?? clientId,
    brokers: [...options.brokers],
    ...(options.tls === undefined
      ? {}
      : { ssl: options.tls.ca === undefined ? true : { ca: [options.tls.ca] } }),
    ...(options.sasl === undefined ? {} : { sasl: saslOf(options.sasl) }),
    connectionTimeout: 3_000,
    requestTimeout: options.timeoutMs ?? 10_000,
  };
}
