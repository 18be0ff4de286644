import { describe, expect, it } from 'vitest';
import { parseConfigText } from './load-config.js';
import { redactUrl, resolveSourceUrl, resolveValue, sinkVariable } from './secrets.js';

const GOOD = `on_error = "stop"
prefix = "dev_"

[source]
type = "postgres"
connection_url = { env = "DATABASE_URL" }

[sinks.primary]
type = "opensearch"
url = "http://127.0.0.1:9200"
tls_verify = false

[sinks.audit]
type = "stdout"
pretty = true

[[index]]
name = "users"
schema = "users.schema.yml"
enabled = true

[[index]]
name = "orders"
schema = "orders.schema.yml"
enabled = true
on_error = "skip"
`;

describe('flusso.toml', () => {
  it('loads the reference layout with defaults filled in', () => {
    const config = parseConfigText('flusso.toml', GOOD);
    expect(config.prefix).toBe('dev_');
    expect(config.sinks.primary).toMatchObject({
      type: 'opensearch',
      batch_size: 1000,
      max_bytes: 10485760,
      refresh_interval: '10s',
    });
    expect(config.sinks.audit).toEqual({ type: 'stdout', pretty: true, on_full: 'block' });
    expect(config.index.map((i) => [i.name, i.on_error])).toEqual([
      ['users', undefined],
      ['orders', 'skip'],
    ]);
  });

  it('names file, line and key for an unknown key', () => {
    const bad = GOOD.replace('tls_verify = false', 'tls_verfy = false');
    expect(() => parseConfigText('conf/flusso.toml', bad)).toThrow(
      'conf/flusso.toml:11: sinks.primary.tls_verfy: unknown key "tls_verfy"',
    );
  });

  it('names the line of a bad value inside an array of tables', () => {
    const bad = GOOD.replace('on_error = "skip"', 'on_error = "ignore"');
    expect(() => parseConfigText('flusso.toml', bad)).toThrow(/^flusso\.toml:26: index\[1\]\.on_error: /);
  });

  it('refuses a sink setting its layout does not apply, naming the line and key', () => {
    const osproxyOnly = GOOD.replace('tls_verify = false', 'tls_verify = false\ntenant_field = "_t"');
    expect(() => parseConfigText('flusso.toml', osproxyOnly)).toThrow(
      'flusso.toml:12: sinks.primary.tenant_field: applies only to layout = "osproxy"',
    );
    const pipeline = GOOD.replace(
      'tls_verify = false',
      'tls_verify = false\nlayout = "osproxy"\npipeline = "p"',
    );
    expect(() => parseConfigText('flusso.toml', pipeline)).toThrow(
      /^flusso\.toml:13: sinks\.primary\.pipeline: not supported with layout = "osproxy"/,
    );
    const fine = GOOD.replace(
      'tls_verify = false',
      'tls_verify = false\nlayout = "osproxy"\ntenant_field = "_t"',
    );
    expect(parseConfigText('flusso.toml', fine).sinks.primary).toMatchObject({ tenant_field: '_t' });
  });

  it('reports TOML syntax errors with their line', () => {
    expect(() => parseConfigText('flusso.toml', '[source]\ntype = "postgres\n')).toThrow(
      /^flusso\.toml:2: invalid TOML/,
    );
  });

  it('throws a typed config_invalid error', () => {
    expect(() => parseConfigText('f.toml', 'nope = 1')).toThrowError(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });
});

describe('secrets', () => {
  const source = {
    type: 'postgres' as const,
    connection_url: 'postgres://file/db',
    manage_publication: true,
  };

  it('lets an explicit env reference win over the reserved variable', () => {
    expect(
      resolveValue(
        { env: 'MY_URL' },
        'PRIMARY_OPENSEARCH_URL',
        { MY_URL: 'a', PRIMARY_OPENSEARCH_URL: 'b' },
        'url',
      ),
    ).toBe('a');
  });

  it('lets the reserved variable override a literal and fill an omission', () => {
    expect(
      resolveValue('literal', sinkVariable('primary', 'URL'), { PRIMARY_OPENSEARCH_URL: 'b' }, 'url'),
    ).toBe('b');
    expect(
      resolveValue(
        undefined,
        sinkVariable('primary', 'PASSWORD'),
        { PRIMARY_OPENSEARCH_PASSWORD: 'pw' },
        'pw',
      ),
    ).toBe('pw');
    expect(resolveValue('literal', 'X', {}, 'url')).toBe('literal');
  });

  it('fails at run time, naming the variable, when a referenced one is unset', () => {
    expect(() => resolveValue({ env: 'OS_PASSWORD' }, null, {}, 'sinks.primary.password')).toThrow(
      'sinks.primary.password: environment variable OS_PASSWORD is not set',
    );
  });

  it('resolves the source from DATABASE_URL over a literal, and from parts', () => {
    expect(resolveSourceUrl(source, { DATABASE_URL: 'postgres://env/db' })).toBe('postgres://env/db');
    expect(resolveSourceUrl(source, {})).toBe('postgres://file/db');
    const parts = {
      ...source,
      connection_url: { host: 'db', port: 6432, user: 'app', password: { env: 'PGPW' }, database: 'shop' },
    };
    expect(resolveSourceUrl(parts, { PGPW: 's3cret' })).toBe('postgres://app:s3cret@db:6432/shop');
    expect(redactUrl('postgres://app:s3cret@db:6432/shop')).toBe('postgres://app:***@db:6432/shop');
  });
});
