// Summarises V8 CPU profiles (`BENCH_CPU_PROFILE=DIR`, .cpuprofile files): busy time
// by category (GC, osproxy's packages, undici, node internals, native), the functions
// with the most self time, and optionally the most inclusive time, so a change can be
// aimed at where the time goes rather than guessed.
// A sampling heap profile (`HeapProfiler.stopSampling`'s profile, or a .heapprofile)
// is summarised the same way, by bytes allocated instead of time.
// `node tools/bench/dist/osproxy-profile.js FILE.cpuprofile... [--top N] [--inclusive]`
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a frame's code lives, coarse enough to sum into a table. */
export function categoryOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'program (V8/native, no JS frame)';
    if (functionName === '(root)') return 'root';
    return `native: ${functionName}`;
  }
  const pkg = /\/(packages|apps)\/([^/]+)\/(?:dist|src)\/([^/]+)/.exec(url);
  if (pkg !== null)
    return `${pkg[1]}/${pkg[2]}${pkg[2] === 'proxy' || pkg[2] === 'osproxy' ? `/${pkg[3]}` : ''}`;
  const module = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module !== null) return `npm: ${module[1]}`;
  if (url.startsWith('node:')) {
    const internal = /^node:(?:internal\/)?([^/]+)/.exec(url);
    return `node: ${internal?.[1] ?? url}`;
  }
  return url;
}

function shortUrl(url: string): string {
  const at = url.search(/\/(packages|apps|node_modules)\//);
  return at < 0 ? url : url.slice(at + 1).replace(/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
}

function frameKey(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  return frame.url === '' ? name : `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

interface Summary {
  readonly file: string;
  readonly wallMs: number;
  readonly busyMs: number;
  readonly byCategory: Map<string, number>;
  readonly selfByFunction: Map<string, number>;
  readonly inclusiveByFunction: Map<string, number>;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

export function summarise(file: string, profile: CpuProfile): Summary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const byCategory = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusiveByFunction = new Map<string, number>();
  let busyMs = 0;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i += 1) {
    // A sample's time is the interval until the next one (the last one gets none).
    const ms = (timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(samples[i] as number);
    if (node === undefined) continue;
    const category = categoryOf(node.callFrame);
    add(byCategory, category, ms);
    if (category === 'idle') continue;
    busyMs += ms;
    add(selfByFunction, frameKey(node.callFrame), ms);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = (byId.get(id) as ProfileNode).callFrame;
      const key = frameKey(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusiveByFunction, key, ms);
    }
  }
  return {
    file,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs,
    byCategory,
    selfByFunction,
    inclusiveByFunction,
  };
}

function table(title: string, map: Map<string, number>, busyMs: number, top: number, unit: string): string[] {
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    title,
    ...rows.map(
      ([key, ms]) =>
        `  ${ms.toFixed(0).padStart(7)} ${unit} ${((100 * ms) / busyMs).toFixed(1).padStart(5)}%  ${key}`,
    ),
  ];
}

export function render(summary: Summary, top: number, inclusive: boolean, unit = 'ms'): string {
  const categories = new Map([...summary.byCategory].filter(([key]) => key !== 'idle'));
  const heading =
    unit === 'ms'
      ? `  wall ${(summary.wallMs / 1000).toFixed(2)} s, busy ${(summary.busyMs / 1000).toFixed(2)} s, idle ${(
          (summary.byCategory.get('idle') ?? 0) / 1000
        ).toFixed(2)} s (shares below: of busy)`
      : `  allocated (sampled) ${(summary.busyMs / 1024).toFixed(1)} MiB`;
  const lines = [
    `${summary.file}`,
    heading,
    ...table('by category (self)', categories, summary.busyMs, top, unit),
    ...table('by function (self)', summary.selfByFunction, summary.busyMs, top, unit),
  ];
  if (inclusive)
    lines.push(...table('by function (inclusive)', summary.inclusiveByFunction, summary.busyMs, top, unit));
  return lines.join('\n');
}

interface HeapNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children?: readonly HeapNode[];
}

/** A sampling heap profile as bytes by category and function (self and inclusive), in KiB. */
export function summariseHeap(file: string, head: HeapNode): Summary {
  const byCategory = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusiveByFunction = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, stack: string[]): number => {
    const key = frameKey(node.callFrame);
    let size = node.selfSize / 1024;
    if (size > 0) {
      add(byCategory, categoryOf(node.callFrame), size);
      add(selfByFunction, key, size);
      total += size;
    }
    const onStack = stack.includes(key);
    stack.push(key);
    for (const child of node.children ?? []) size += walk(child, stack);
    stack.pop();
    if (!onStack) add(inclusiveByFunction, key, size);
    return size;
  };
  walk(head, []);
  return { file, wallMs: 0, busyMs: total, byCategory, selfByFunction, inclusiveByFunction };
}

const isMain = process.argv[1]?.endsWith('osproxy-profile.js') === true;
if (isMain) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string' }, inclusive: { type: 'boolean' } },
  });
  const top = Number(values.top ?? 25);
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile | { head: HeapNode };
    if ('head' in profile) {
      const heap = summariseHeap(file, profile.head);
      console.log(render(heap, top, values.inclusive === true, 'KiB'));
    } else console.log(render(summarise(file, profile), top, values.inclusive === true));
    console.log();
  }
}
