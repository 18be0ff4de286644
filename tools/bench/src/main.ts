// `pnpm bench [backfill|cdc|backlog|kafka|osproxy-footprint|osproxy-overhead|osproxy-apply ...] [options]`
// Runs the chosen benchmarks (default: all) in that order (the flusso ones on one
// Postgres rig), prints each table, writes tools/bench/results/<name>.json, and
// cleans up on any exit.
import { parseArgs } from 'node:util';
import { backfillBench } from './backfill.js';
import { backlogBench } from './backlog.js';
import { cdcBench } from './cdc.js';
import { cleanupAll } from './cleanup.js';
import { kafkaBench } from './kafka.js';
import { osproxyAbBench } from './osproxy-ab.js';
import { osproxyApplyBench } from './osproxy-apply.js';
import { osproxyFootprintBench } from './osproxy-footprint.js';
import { osproxyOverheadBench } from './osproxy-overhead.js';
import { Rig } from './rig.js';

const usage = `usage: pnpm bench [backfill] [cdc] [backlog] [kafka] [osproxy-footprint] [osproxy-overhead]
                 [osproxy-apply] [options]
       pnpm bench osproxy-ab --against DIR [--batches N] [--requests N] [--concurrency N]
  --rows N      users seeded (each with an address, 2 orders, 4 items); default 100000
                (10000 when only osproxy benchmarks run: flusso's idle footprint needs a rig)
  --changes N   updates for cdc and kafka (per worker count), and for backlog unless --backlog
                is given; default 100000
  --backlog N   updates committed while flusso is stopped; default 1000000
  --pg V        Postgres major version; default 15 (ships pg_recvlogical)
  --writes N    osproxy-footprint writes at concurrency 16; default 50000 (seed 002)
  --requests N  osproxy-overhead searches per path and concurrency; default 20000
  --applies N   osproxy-apply writes (sync, then async and applied); default 20000
  --against DIR osproxy-ab: another checkout, built, whose osproxy is compared with this one's
                (CPU per request, alternating batches; only run when named)
  --batches N   osproxy-ab batches per build; default 10 (--requests: per batch, default 3000)
  --concurrency N  osproxy-ab requests in flight; default 16 (1 judges the added latency)`;

const names = [
  'backfill',
  'cdc',
  'backlog',
  'kafka',
  'osproxy-footprint',
  'osproxy-overhead',
  'osproxy-apply',
  'osproxy-ab',
] as const;
/** Run only when named: they need options of their own. */
const onlyWhenNamed: readonly Name[] = ['osproxy-ab'];
const flussoNames: readonly Name[] = ['backfill', 'cdc', 'backlog', 'kafka'];
type Name = (typeof names)[number];

function count(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer`);
  return n;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rows: { type: 'string' },
    changes: { type: 'string' },
    backlog: { type: 'string' },
    pg: { type: 'string' },
    writes: { type: 'string' },
    requests: { type: 'string' },
    applies: { type: 'string' },
    against: { type: 'string' },
    batches: { type: 'string' },
    concurrency: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const unknown = positionals.filter((p) => !names.includes(p as Name));
if (values.help || unknown.length > 0) {
  console.error(unknown.length > 0 ? `unknown benchmark: ${unknown.join(', ')}\n${usage}` : usage);
  process.exit(values.help ? 0 : 2);
}
const chosen = names.filter((n) =>
  positionals.length === 0 ? !onlyWhenNamed.includes(n) : positionals.includes(n),
);
const osproxyOnly = chosen.every((n) => n.startsWith('osproxy-'));
const rows = count(values.rows, osproxyOnly ? 10_000 : 100_000, 'rows');
const changes = count(values.changes, 100_000, 'changes');
const backlog = count(values.backlog ?? values.changes, 1_000_000, 'backlog');

try {
  // osproxy-footprint reports flusso's idle RSS beside osproxy's, so it needs the rig too.
  if (chosen.some((name) => flussoNames.includes(name) || name === 'osproxy-footprint')) {
    const rig = await Rig.open({
      rows,
      ...(values.pg === undefined ? {} : { pgVersion: count(values.pg, 15, 'pg') }),
    });
    for (const name of chosen) {
      if (name === 'backfill') await backfillBench(rig);
      if (name === 'cdc') await cdcBench(rig, changes);
      if (name === 'backlog') await backlogBench(rig, backlog);
      if (name === 'kafka') await kafkaBench(rig, changes);
      if (name === 'osproxy-footprint')
        await osproxyFootprintBench(count(values.writes, 50_000, 'writes'), rig);
    }
  }
  if (chosen.includes('osproxy-overhead'))
    await osproxyOverheadBench(count(values.requests, 20_000, 'requests'));
  if (chosen.includes('osproxy-apply')) await osproxyApplyBench(count(values.applies, 20_000, 'applies'));
  if (chosen.includes('osproxy-ab')) {
    if (values.against === undefined)
      throw new Error('osproxy-ab needs --against DIR (another checkout, built)');
    await osproxyAbBench({
      against: values.against,
      batches: count(values.batches, 10, 'batches'),
      requestsPerBatch: count(values.requests, 3_000, 'requests'),
      concurrency: count(values.concurrency, 16, 'concurrency'),
    });
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
