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

  it('refuses type = "kafka" with a clear message naming line and key', () => {
    expect(() => parseConfigText('flusso.toml', `${base}\n[dead_letters]\ntype = "kafka"\n`)).toThrow(
      /flusso\.toml:5: dead_letters\.type: type "kafka" is not supported yet/,
    );
  });

  it('refuses an unknown on_full value', () => {
    expect(() =>
      parseConfigText('flusso.toml', `${base}[sinks.audit]\ntype = "stdout"\non_full = "spill"\n`),
    ).toThrow(/sinks\.audit\.on_full/);
  });
});
