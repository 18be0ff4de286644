import { describe, expect, it } from 'vitest';
import { parseConfigText } from './load-config.js';

const base = '[source]\ntype = "postgres"\n';

describe('[dead_letters] and on_full', () => {
  it('defaults to the Postgres table with documents kept, and every sink blocking when full', () => {
    const config = parseConfigText('flusso.toml', `${base}[sinks.audit]\ntype = "stdout"\n`);
    expect(config.dead_letters).toEqual({ type: 'postgres', keep_documents: true });
    expect(config.sinks.audit?.on_full).toBe('block');
  });

  it('reads keep_documents = false and on_full = "drop"', () => {
    const config = parseConfigText(
      'flusso.toml',
      `${base}[dead_letters]\nkeep_documents = false\n[sinks.audit]\ntype = "stdout"\non_full = "drop"\n`,
    );
    expect(config.dead_letters.keep_documents).toBe(false);
    expect(config.sinks.audit?.on_full).toBe('drop');
  });

  it('reads a Kafka store, and refuses one without brokers naming line and key', () => {
    const config = parseConfigText(
      'flusso.toml',
      `${base}[dead_letters]\ntype = "kafka"\nbrokers = ["127.0.0.1:9092"]\ntopic = "dlq"\n`,
    );
    expect(config.dead_letters).toEqual({
      type: 'kafka',
      keep_documents: true,
      brokers: ['127.0.0.1:9092'],
      topic: 'dlq',
    });
    expect(() => parseConfigText('flusso.toml', `${base}\n[dead_letters]\ntype = "kafka"\n`)).toThrow(
      /flusso\.toml:4: dead_letters\.brokers: required with type = "kafka"/,
    );
    expect(() =>
      parseConfigText('flusso.toml', `${base}[dead_letters]\nbrokers = ["127.0.0.1:9092"]\n`),
    ).toThrow(/dead_letters\.type: brokers and topic apply only to type = "kafka"/);
  });

  it('refuses an unknown on_full value', () => {
    expect(() =>
      parseConfigText('flusso.toml', `${base}[sinks.audit]\ntype = "stdout"\non_full = "spill"\n`),
    ).toThrow(/sinks\.audit\.on_full/);
  });
});
