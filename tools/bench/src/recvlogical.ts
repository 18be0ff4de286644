// The CDC limit: pg_recvlogical streaming the same WAL through pgoutput (the plugin
// flusso uses, proto_version 1, same publication) to /dev/null. pgoutput's output is
// binary; pg_recvlogical writes it out as-is, which is fine for /dev/null.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Rig } from './rig.js';

function findRecvlogical(binDir: string | null): string {
  const root = '/usr/lib/postgresql';
  const dirs = [
    ...(binDir ? [binDir] : []),
    ...(existsSync(root) ? readdirSync(root).map((v) => join(root, v, 'bin')) : []),
  ];
  return dirs.map((d) => join(d, 'pg_recvlogical')).find((p) => existsSync(p)) ?? 'pg_recvlogical';
}

/** A pgoutput slot of its own, created now: it will see exactly what is committed from here on. */
export async function createBaselineSlot(rig: Rig, name: string): Promise<string> {
  const slot = `${rig.slot}_${name}`;
  await rig.db.sql(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
  return slot;
}

/** Stream `slot` up to `endLsn` into /dev/null, drop the slot; returns the seconds it took. */
export async function recvlogical(rig: Rig, slot: string, endLsn: string): Promise<number> {
  const args = ['-d', rig.db.url, '--slot', slot, '--start', '--endpos', endLsn, '--no-loop'];
  args.push('-f', '/dev/null', '-o', 'proto_version=1', '-o', `publication_names=${rig.slot}`);
  const start = performance.now();
  const child = spawn(findRecvlogical(rig.binDir()), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const secs = (performance.now() - start) / 1000;
  await rig.db.sql('SELECT pg_drop_replication_slot($1)', [slot]);
  if (code !== 0) throw new Error(`pg_recvlogical exited ${code}: ${stderr}`);
  return secs;
}
