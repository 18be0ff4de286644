// `flusso check [--offline] [--format human|json]`: validates config and schemas,
// and (online) the live catalog: tables, columns, replica identity, publication.
import { resolve } from 'node:path';
import { parseIndexName } from '@flusso/core';
import { compileConfig, resolveSourceUrl } from '@flusso/daemon';
import { checkCatalog, checkTenant, type Finding } from '@flusso/sources';
import pg from 'pg';
import { DEFAULT_PUBLICATION } from '../cli/defaults.js';
import { parseFlags, stringFlag } from '../cli/flags.js';
import { type CliIo, print } from '../cli/io.js';
import { osproxyLayoutFindings } from './check-osproxy-layout.js';

export async function checkCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      config: { type: 'string', short: 'c', default: 'flusso.toml' },
      offline: { type: 'boolean', default: false },
      format: { type: 'string', default: 'human' },
      publication: { type: 'string', default: DEFAULT_PUBLICATION },
    },
    io.env,
  );
  const lock = compileConfig(resolve(io.cwd, stringFlag(values, 'config') ?? 'flusso.toml'));
  const findings: Finding[] = osproxyLayoutFindings(lock);
  if (values.offline !== true) {
    const client = new pg.Client({ connectionString: resolveSourceUrl(lock.config.source, io.env) });
    await client.connect();
    try {
      const indexes = lock.indexes
        .filter((i) => i.enabled)
        .map((i) => ({ name: parseIndexName(i.name), schema: i.schema }));
      findings.push(
        ...(await checkCatalog(client, indexes, stringFlag(values, 'publication') ?? DEFAULT_PUBLICATION)),
      );
      findings.push(...(await checkTenant(client, indexes)));
    } finally {
      await client.end();
    }
  }
  const errors = findings.filter((f) => f.level === 'error').length;
  if (stringFlag(values, 'format') === 'json') {
    print(
      io.stdout,
      JSON.stringify(
        {
          ok: errors === 0,
          indexes: lock.indexes.map((i) => ({ name: i.name, hash: i.hash, enabled: i.enabled })),
          findings,
        },
        null,
        2,
      ),
    );
  } else {
    for (const i of lock.indexes)
      print(
        io.stdout,
        `index ${i.name}: schema ${i.schema_file} ok (hash ${i.hash})${i.enabled ? '' : ' [disabled]'}`,
      );
    for (const f of findings)
      print(io.stdout, `${f.level}: [${f.index}] ${f.path}: ${f.message}${f.fix ? `\n  fix: ${f.fix}` : ''}`);
    print(
      io.stdout,
      values.offline === true && errors === 0
        ? 'offline: config and schemas are valid'
        : errors === 0
          ? 'check passed'
          : `check failed: ${errors} error(s)`,
    );
  }
  return errors === 0 ? 0 : 1;
}
