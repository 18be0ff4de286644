// issue 17: the live status page in a real browser (Debian's chromium, headless,
// driven by playwright-core) against the built binary: a backfill progressing,
// then a live change arriving. Screenshots go to apps/flusso/test-artifacts/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { churn, demoDir, type RunningFlusso, startFlusso, writeConfig } from './flusso-process.fixture.js';

function chromiumPath(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const executablePath = chromiumPath();
const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');
let db: TestDatabase;
let emu: Emulator;
let browser: Browser;
let flusso: RunningFlusso | null = null;

describe.skipIf(executablePath === null)('issue-17 live status page', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
    // Enough rows that the backfill is visibly in progress for a few seconds.
    await db.sql(
      "INSERT INTO users (id, email, full_name) SELECT i, 'u' || i || '@example.com', 'Bulk ' || i FROM generate_series(1000, 100999) AS i; ANALYZE users",
    );
    emu = await startEmulator();
    browser = await chromium.launch({
      executablePath: executablePath ?? undefined,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    flusso?.proc.kill('SIGKILL');
    await flusso?.exited;
    await emu?.close();
    await db?.close();
  });

  it('shows a backfill progressing, then a live change arriving, with charts', async () => {
    flusso = await startFlusso({ config: writeConfig().config, dbUrl: db.url, osUrl: emu.url });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const f = flusso;
    await expect
      .poll(async () => (await page.goto(f.publicUrl).catch(() => null))?.status(), { timeout: 20_000 })
      .toBe(200);
    const users = page.locator('tr[data-index="users"]');
    await users.locator('.state', { hasText: 'backfilling' }).waitFor({ timeout: 30_000 });
    const rows = users.locator('.rows');
    await rows.waitFor({ timeout: 30_000 });
    const done = async () =>
      Number((/^\s*([\d,]+)/.exec((await rows.textContent()) ?? '')?.[1] ?? '0').replaceAll(',', ''));
    const first = await done();
    await expect.poll(done, { timeout: 30_000 }).toBeGreaterThan(first);
    expect((await rows.textContent()) ?? '').toMatch(/\/ [\d,?]+ rows, [\d,]+ rows\/s, ETA/);
    await page.screenshot({ path: join(artifacts, 'status-page-backfill.png'), fullPage: true });

    await page.locator('#phase[data-phase="live"]').waitFor({ timeout: 90_000 });
    await users.locator('.state', { hasText: 'seeded' }).waitFor();
    const committed = async () =>
      Number(((await page.locator('#changes-committed').textContent()) ?? '').replaceAll(',', ''));
    const before = await committed();
    await db.sql("UPDATE users SET full_name = 'Seen In The Browser' WHERE id = 7");
    await expect.poll(committed, { timeout: 15_000 }).toBeGreaterThan(before);
    await expect
      .poll(async () => (await page.locator('#e2e-lag').textContent()) ?? '', { timeout: 15_000 })
      .toMatch(/ms$/);
    expect(await page.locator('tr[data-sink="primary"] .ok').textContent()).toBe('ok');
    expect(await page.locator('.uplot').count()).toBe(3);
    await churn(db, 4_000); // a few seconds of load for the charts in the screenshot
    await page.screenshot({ path: join(artifacts, 'status-page-live.png'), fullPage: true });
  }, 180_000);
});
