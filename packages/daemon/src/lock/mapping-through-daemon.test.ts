// The mapping options reach OpenSearch: a daemon started from a compiled lock
// creates its index (in the in-repo emulator) with the mapping the options say.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIndexName } from '@flusso/core';
import { ScriptedCapture } from '@flusso/core/testing';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { OpenSearchSink } from '@flusso/sinks/opensearch';
import { PgDocumentBuilder } from '@flusso/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backends } from '../backends.js';
import { Daemon } from '../daemon.js';
import { compileConfig } from './compile-config.js';
import type { FlussoLock } from './lock.js';
import { mappingOptions } from './mapping-options.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
});
afterAll(async () => {
  await emu.close();
});

const SCHEMA = 'version: 1\ntable: users\nfields:\n  - integer: id\n  - text: bio\n  - keyword: email\n';

function lockWith(prefix: string, sinkExtra: string): FlussoLock {
  const dir = mkdtempSync(join(tmpdir(), 'flusso-mapping-'));
  writeFileSync(join(dir, 'users.schema.yml'), SCHEMA);
  writeFileSync(
    join(dir, 'flusso.toml'),
    `prefix = "${prefix}"\n[source]\ntype = "postgres"\n[sinks.primary]\ntype = "opensearch"\n${sinkExtra}` +
      '[[index]]\nname = "users"\nschema = "users.schema.yml"\nenabled = true\n',
  );
  return compileConfig(join(dir, 'flusso.toml'));
}

// The builder's index specs come from the lock and its mapping options, as the
// CLI's backends build them; no build query runs (nothing is captured).
function backends(lock: FlussoLock): Backends {
  return {
    capture: async () => new ScriptedCapture(),
    builder: async () =>
      new PgDocumentBuilder({
        db: { query: async () => ({ rows: [] }) },
        indexes: lock.indexes.map((i) => ({ name: parseIndexName(i.name), schema: i.schema })),
        mapping: mappingOptions(lock.config),
      }),
    sink: async (name) =>
      new OpenSearchSink({ name, url: emu.url, prefix: lock.config.prefix, numberOfReplicas: 0 }),
  };
}

async function createdIndex(prefix: string, sinkExtra: string) {
  const lock = lockWith(prefix, sinkExtra);
  const running = await new Daemon(lock, backends(lock), { skipBackfill: true }).start();
  await running.run();
  const concrete = [...emu.store.indexes.keys()].find((n) =>
    n.startsWith(`${prefix}users_${lock.indexes[0]?.hash}_`),
  );
  const index = concrete ? emu.store.indexes.get(concrete) : undefined;
  return { hash: lock.indexes[0]?.hash, props: index?.mappings.properties, settings: index?.settings };
}

describe('mapping options through the daemon', () => {
  it('creates text and keyword fields with auto subfields by default', async () => {
    const { props } = await createdIndex('auto_', '');
    expect(props?.bio).toMatchObject({
      type: 'text',
      analyzer: 'flusso_text',
      fields: { keyword: { type: 'keyword' } },
    });
    expect(props?.email).toMatchObject({ type: 'keyword', fields: { text: { analyzer: 'flusso_code' } } });
  });

  it('creates them bare with auto_subfields = false, under another hash', async () => {
    const bare = await createdIndex('bare_', 'auto_subfields = false\n');
    expect(bare.props?.bio).toEqual({ type: 'text' });
    expect(bare.props?.email).toEqual({ type: 'keyword' });
    expect(bare.hash).not.toBe((await createdIndex('auto2_', '')).hash);
  });

  it('creates the ICU analyzers with text_analysis = "icu"', async () => {
    const { settings } = await createdIndex('icu_', 'text_analysis = "icu"\n');
    expect(settings).toMatchObject({
      analysis: { analyzer: { flusso_text: { tokenizer: 'icu_tokenizer' } } },
    });
  });
});
