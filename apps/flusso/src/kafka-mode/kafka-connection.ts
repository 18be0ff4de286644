// The change topic's connection from `[pipeline]`: brokers, TLS (a private CA
// read from `ca_file`) and SASL (secrets inline or from the environment), in the
// shape the sinks' kafkajs client config takes.
import { readFileSync } from 'node:fs';
import { FlussoError } from '@flusso/core';
import { type Env, type PipelineConfig, resolveValue } from '@flusso/daemon';
import type { ChangeTopic } from './record-producer.js';

export function changeTopicOf(pipeline: PipelineConfig, env: Env): ChangeTopic {
  const sasl = pipeline.sasl;
  const secret = (value: NonNullable<typeof sasl>['username'], what: string): string => {
    const resolved = resolveValue(value, null, env, `pipeline.sasl.${what}`);
    if (resolved === undefined) throw new FlussoError('config_invalid', `pipeline.sasl.${what}: not set`);
    return resolved;
  };
  return {
    brokers: pipeline.brokers ?? [],
    topic: pipeline.topic,
    partitions: pipeline.partitions,
    ...(pipeline.tls === undefined
      ? {}
      : {
          tls: pipeline.tls.ca_file === undefined ? {} : { ca: readFileSync(pipeline.tls.ca_file, 'utf8') },
        }),
    ...(sasl === undefined
      ? {}
      : {
          sasl: {
            mechanism: sasl.mechanism,
            username: secret(sasl.username, 'username'),
            password: secret(sasl.password, 'password'),
          },
        }),
  };
}
