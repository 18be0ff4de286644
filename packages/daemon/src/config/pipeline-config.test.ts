import { describe, expect, it } from 'vitest';
import { parseConfigText } from './load-config.js';

const base = '[source]\ntype = "postgres"\n';

describe('[pipeline]', () => {
  it('defaults to the one-process engine', () => {
    expect(parseConfigText('flusso.toml', base).pipeline.mode).toBe('engine');
  });

  it('reads the kafka mode with its topic, partitions, group, TLS and SASL', () => {
    const config = parseConfigText(
      'flusso.toml',
      `${base}[pipeline]\nmode = "kafka"\nbrokers = ["k1:9093"]\npartitions = 6\n` +
        `[pipeline.tls]\nca_file = "ca.pem"\n[pipeline.sasl]\nmechanism = "scram-sha-512"\nusername = "u"\npassword = { env = "KPW" }\n`,
    );
    expect(config.pipeline).toMatchObject({
      mode: 'kafka',
      brokers: ['k1:9093'],
      topic: 'flusso.changes',
      partitions: 6,
      group: 'flusso-workers',
      tls: { ca_file: 'ca.pem' },
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: { env: 'KPW' } },
    });
  });

  it('refuses the kafka mode without brokers', () => {
    expect(() => parseConfigText('flusso.toml', `${base}[pipeline]\nmode = "kafka"\n`)).toThrow(/brokers/);
  });

  it('refuses brokers under the default mode rather than ignoring them', () => {
    expect(() => parseConfigText('flusso.toml', `${base}[pipeline]\nbrokers = ["k1:9093"]\n`)).toThrow(
      'pipeline.mode: brokers, tls and sasl apply only to mode = "kafka"',
    );
  });
});
