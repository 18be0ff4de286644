// Where Postgres's CPU goes in a window: utime + stime of each backend alive at its end,
// grouped by what it is (pg_stat_activity's backend type; the bench's own connection, which
// ran the writer's UPDATEs; another client backend by its last statement: flusso's document
// SQL, its visibility snapshots).
// A backend started inside the window counts whole; one that exited is not counted (the tree total is).
import { readdirSync, readFileSync } from 'node:fs';
import type { TestDatabase } from '@flusso/pg-harness';
import { clockTicks } from './cpu.js';

function ticks(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined;
  }
}

/** Ticks so far of every child of `postmaster`. */
export function backendTicks(postmaster: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const t = ticks(Number(name));
    if (t?.ppid === postmaster) out.set(Number(name), t.ticks);
  }
  return out;
}

function label(backendType: string, query: string): string {
  if (backendType !== 'client backend') return backendType;
  const q = query.replace(/\s+/g, ' ').trim();
  if (q.includes('json_build_object')) return 'client: document SQL';
  if (q.includes('pg_current_snapshot')) return 'client: visibility snapshot';
  return `client: ${q.slice(0, 40)}`;
}

/** CPU seconds per kind of backend since `before` (from `backendTicks`). */
export async function pgBreakdown(
  db: TestDatabase,
  postmaster: number,
  before: Map<number, number>,
): Promise<Map<string, number>> {
  const after = backendTicks(postmaster);
  const rows = await db.sql<{ pid: number; backend_type: string; query: string; own: boolean }>(
    'SELECT pid, backend_type, coalesce(query, $1) AS query, pid = pg_backend_pid() AS own FROM pg_stat_activity',
    [''],
  );
  // The bench's own connection ran the writer's UPDATEs (and this query, its last statement).
  const kinds = new Map(
    rows.map((r) => [r.pid, r.own ? 'client: bench (writer UPDATEs)' : label(r.backend_type, r.query)]),
  );
  const out = new Map<string, number>();
  for (const [pid, now] of after) {
    const started = !before.has(pid);
    const kind = `${kinds.get(pid) ?? 'other'}${started ? ' (started in the window)' : ''}`;
    const spent = (now - (before.get(pid) ?? 0)) / clockTicks();
    out.set(kind, (out.get(kind) ?? 0) + spent);
  }
  return out;
}
