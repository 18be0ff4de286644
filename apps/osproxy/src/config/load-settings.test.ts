import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../ingress/authenticate.js';
import { loadSettings } from './load-settings.js';
import { parseTokens } from './tokens.js';

describe('osproxy settings', () => {
  it('default to the documented values', () => {
    expect(loadSettings([], {})).toMatchObject({
      bind: '127.0.0.1:8080',
      upstream: 'http://127.0.0.1:9200',
      index: 'osproxy-shared',
      tokens: '',
      allow_cleartext_mutation: false,
      max_body_bytes: 8 * 1024 * 1024,
      admin_prefixes: ['/_cat/', '/_cluster/', '/_nodes/'],
      admin_bind: '127.0.0.1:9091',
      max_inflight_bytes_per_tenant: 64 * 1024 * 1024,
      body_timeout_ms: 30_000,
      forward_header_allow: [],
      passthrough_principals: [],
    });
  });

  it('read the id-from-body rule and the query depth cap (off and 64 by default)', () => {
    expect(loadSettings([], {})).toMatchObject({ max_query_depth: 64 });
    expect(loadSettings([], {}).id_from_body).toBeUndefined();
    expect(loadSettings([], { OSPROXY_ID_FROM_BODY: 'id', OSPROXY_MAX_QUERY_DEPTH: '8' })).toMatchObject({
      id_from_body: 'id',
      max_query_depth: 8,
    });
  });

  it('layer file, then OSPROXY_* env, then flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osproxy-'));
    const file = join(dir, 'osproxy.toml');
    writeFileSync(file, 'bind = "127.0.0.1:1"\nindex = "from-file"\nmax_body_bytes = 100\n');
    const s = loadSettings(['--max-body-bytes', '300'], {
      OSPROXY_CONFIG: file,
      OSPROXY_INDEX: 'from-env',
      OSPROXY_MAX_BODY_BYTES: '200',
    });
    expect(s.bind).toBe('127.0.0.1:1');
    expect(s.index).toBe('from-env');
    expect(s.max_body_bytes).toBe(300);
  });

  it('refuse unknown keys in every layer, naming them', () => {
    expect(() => loadSettings(['--nope', '1'], {})).toThrow('unknown flag --nope');
    expect(() => loadSettings([], { OSPROXY_NOPE: '1' })).toThrow(
      'unknown environment variable OSPROXY_NOPE',
    );
    const dir = mkdtempSync(join(tmpdir(), 'osproxy-'));
    writeFileSync(join(dir, 'c.toml'), 'bnd = "x"\n');
    expect(() => loadSettings(['--config', join(dir, 'c.toml')], {})).toThrow('unknown key "bnd"');
  });

  it('name the layer of a bad value', () => {
    expect(() => loadSettings([], { OSPROXY_MAX_BODY_BYTES: 'lots' })).toThrow(/^OSPROXY_MAX_BODY_BYTES: /);
  });
});

describe('tokens', () => {
  const tokens = parseTokens('t-acme=app1:acme,t-ops=ops');

  it('map bearer tokens to principals with an optional bound tenant', () => {
    expect(authenticate('Bearer t-acme', tokens)).toEqual({
      ok: true,
      principal: { name: 'app1', tenant: 'acme' },
    });
    expect(authenticate('Bearer t-ops', tokens)).toEqual({
      ok: true,
      principal: { name: 'ops', tenant: null },
    });
  });

  it('refuse a missing or unknown token, and run open only with no tokens configured', () => {
    expect(authenticate(undefined, tokens)).toEqual({ ok: false });
    expect(authenticate('Bearer nope', tokens)).toEqual({ ok: false });
    expect(authenticate(undefined, parseTokens(''))).toEqual({ ok: true, principal: null });
  });
});
