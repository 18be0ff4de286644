// The Kafka connection both commands build from the same settings: brokers, TLS
// (kafka_tls, or a private CA in kafka_tls_ca) and SASL credentials.
import { FlussoError } from '@flusso/core';
import type { KafkaConnection } from '@flusso/sinks/kafka';
import { readSettingFile } from './setting-file.js';
import type { Settings } from './settings.js';

function kafkaSasl(settings: Settings): KafkaConnection['sasl'] {
  const { kafka_sasl_mechanism: mechanism, kafka_sasl_username: username } = settings;
  const password = settings.kafka_sasl_password;
  if (mechanism === undefined) return undefined;
  if (username === undefined || password === undefined) {
    throw new FlussoError(
      'config_invalid',
      'kafka_sasl_mechanism: needs kafka_sasl_username and kafka_sasl_password',
    );
  }
  return { mechanism, username, password };
}

/** How to reach the brokers; undefined when no brokers are configured. */
export function kafkaConnectionOf(settings: Settings): KafkaConnection | undefined {
  if (settings.kafka_brokers.length === 0) return undefined;
  const ca = settings.kafka_tls_ca;
  const sasl = kafkaSasl(settings);
  return {
    brokers: settings.kafka_brokers,
    ...(settings.kafka_tls || ca !== undefined
      ? { tls: ca === undefined ? {} : { ca: readSettingFile(ca, 'kafka_tls_ca') } }
      : {}),
    ...(sasl === undefined ? {} : { sasl }),
  };
}
