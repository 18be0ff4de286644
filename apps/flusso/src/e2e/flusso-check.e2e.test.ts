// `flusso check` (and a `flusso run` refusal) as an operator meets them: the built
// binary against a real catalog, JSON findings on stdout, exit 1 only for errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDir, runFlusso, writeConfig } from './flusso-process.fixture.js';

interface CheckReport {
  ok: boolean;
  indexes: { name: string; hash: string; enabled: boolean }[];
  findings: { level: string; index: string; path: string; message: string; fix?: string }[];
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
});
afterAll(async () => db?.close());

async function check(): Promise<{ code: number | null; report: CheckReport }> {
  const { config } = writeConfig();
  const run = await runFlusso(['check', '--config', config, '--format', 'json'], { DATABASE_URL: db.url });
  return { code: run.code, report: JSON.parse(run.stdout) as CheckReport };
}

describe('flusso run refuses to expose the default admin password', () => {
  it('exits 2 naming private_address when it would listen beyond loopback with the default password', async () => {
    const { config } = writeConfig();
    const run = await runFlusso(['run', '--config', config, '--private-address', '0.0.0.0:0'], {
      DATABASE_URL: db.url,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('private_address: 0.0.0.0:0 is reachable beyond this host');
  });
});

describe('flusso check', () => {
  it('passes the demo catalog, naming only the publication it would create', async () => {
    const { code, report } = await check();
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.indexes).toEqual([{ name: 'users', hash: expect.any(String), enabled: true }]);
    expect(report.findings.map((f) => f.fix)).toContain(
      'ALTER PUBLICATION "flusso" ADD TABLE public.orders;',
    );
    expect(report.findings.filter((f) => !f.fix?.startsWith('ALTER PUBLICATION'))).toEqual([]);
  });

  it('warns with the CREATE INDEX for an unindexed lookup, and fails naming a missing column', async () => {
    await db.sql('DROP INDEX orders_user_id_idx');
    const warned = await check();
    expect(warned.code).toBe(0);
    expect(warned.report.findings).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        fix: 'CREATE INDEX ON public.orders (user_id);',
      }),
    );
    await db.sql('ALTER TABLE order_items DROP COLUMN quantity');
    const failed = await check();
    expect(failed.code).toBe(1);
    expect(failed.report.ok).toBe(false);
    expect(failed.report.findings).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'column public.order_items.quantity does not exist',
      }),
    );
  });
});
