import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from './load-settings.js';

// What an operator sees for each kind of value, through the one entry point they use.
describe('setting values', () => {
  const bad = (env: Record<string, string>) => () => loadSettings([], env);

  it('read booleans in every documented spelling, and refuse others naming the spellings', () => {
    for (const word of ['1', 'true', 'YES', ' on ']) {
      expect(loadSettings([], { OSPROXY_ASYNC_DEFAULT: word }).async_default).toBe(true);
    }
    for (const word of ['0', 'false', 'No', 'off']) {
      expect(loadSettings([], { OSPROXY_ASYNC_DEFAULT: word }).async_default).toBe(false);
    }
    expect(bad({ OSPROXY_ASYNC_DEFAULT: 'maybe' })).toThrow(
      'OSPROXY_ASYNC_DEFAULT: expected a boolean or one of 1, true, yes, on, 0, false, no, off',
    );
  });

  it('read whole numbers from digits only', () => {
    expect(loadSettings(['--max-query-depth', '12'], {}).max_query_depth).toBe(12);
    for (const text of ['-1', '1.5', '1e3', '', '99999999999999999999']) {
      expect(bad({ OSPROXY_MAX_QUERY_DEPTH: text })).toThrow(
        /^OSPROXY_MAX_QUERY_DEPTH: expected a whole number/,
      );
    }
  });

  it('split lists on commas, dropping blanks', () => {
    expect(loadSettings([], { OSPROXY_KAFKA_BROKERS: ' a:1, ,b:2,' }).kafka_brokers).toEqual(['a:1', 'b:2']);
    // Each load gets its own default list.
    loadSettings([], {}).admin_prefixes.push('/_snapshot/');
    expect(loadSettings([], {}).admin_prefixes).toEqual(['/_cat/', '/_cluster/', '/_nodes/']);
  });

  it('check URLs, words, patterns and lengths', () => {
    expect(bad({ OSPROXY_UPSTREAM: 'not a url' })).toThrow('OSPROXY_UPSTREAM: expected a URL');
    // A bad value is never echoed: it may be a secret.
    expect(bad({ OSPROXY_ADMIN_TOKEN: 'short-secret' })).toThrow(
      /^OSPROXY_ADMIN_TOKEN: expected at least 16 characters$/,
    );
    expect(bad({ OSPROXY_LOG_LEVEL: 'loud' })).toThrow(
      'OSPROXY_LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent',
    );
    expect(bad({ OSPROXY_KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/expected one of plain,/);
    expect(bad({ OSPROXY_ID_FROM_BODY: 'a.b' })).toThrow('OSPROXY_ID_FROM_BODY: expected text matching');
    expect(bad({ OSPROXY_ADMIN_TOKEN: 'short' })).toThrow(
      'OSPROXY_ADMIN_TOKEN: expected at least 16 characters',
    );
    expect(loadSettings([], { OSPROXY_ADMIN_TOKEN: 'x'.repeat(16) }).admin_token).toBe('x'.repeat(16));
  });

  it('take typed values from a config file and name the file and key of a wrong type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osproxy-kinds-'));
    const good = join(dir, 'good.toml');
    writeFileSync(good, 'async_default = true\nmax_body_bytes = 1024\nkafka_brokers = ["a:1", "b:2"]\n');
    expect(loadSettings(['--config', good], {})).toMatchObject({
      async_default: true,
      max_body_bytes: 1024,
      kafka_brokers: ['a:1', 'b:2'],
    });
    const wrong = join(dir, 'wrong.toml');
    writeFileSync(wrong, 'index = 3\n');
    expect(() => loadSettings(['--config', wrong], {})).toThrow(
      `${wrong}: index: expected a string, received a number`,
    );
    writeFileSync(wrong, 'kafka_brokers = [1]\n');
    expect(() => loadSettings(['--config', wrong], {})).toThrow(`${wrong}: kafka_brokers: expected a list`);
  });
});
