// CPU time of a process (and its direct children, e.g. nginx's worker) from
// /proc/<pid>/stat: utime + stime in clock ticks, converted with `getconf CLK_TCK`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`, usually 100). */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return ticksPerSecond;
}

/** Fields after the `(comm)` of /proc/<pid>/stat: index 0 is field 3 (state). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone
  }
}

function ownTicks(pid: number): number {
  const f = statFields(pid);
  return f === undefined ? 0 : Number(f[11]) + Number(f[12]); // utime (14), stime (15)
}

function children(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => Number(statFields(child)?.[1]) === pid); // ppid (4)
}

/** utime + stime of `pid` and its direct children, in seconds. */
export function cpuSeconds(pid: number): number {
  const ticks = [pid, ...children(pid)].reduce((sum, p) => sum + ownTicks(p), 0);
  return ticks / clockTicks();
}

/** Runs `work` and returns its result with the CPU seconds `pid` spent meanwhile. */
export async function withCpu<T>(pid: number, work: () => Promise<T>): Promise<[T, number]> {
  const before = cpuSeconds(pid);
  const result = await work();
  return [result, cpuSeconds(pid) - before];
}

/**
 * Like `cpuSeconds`, plus what the children that already exited spent (cutime + cstime):
 * for a postmaster, whose backends come and go with their connections.
 */
export function treeCpuSeconds(pid: number): number {
  const f = statFields(pid);
  const reaped = f === undefined ? 0 : Number(f[13]) + Number(f[14]); // cutime (16), cstime (17)
  return cpuSeconds(pid) + reaped / clockTicks();
}

/** utime + stime of this process, in seconds. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
