// `_cat/indices`: aligned text columns (or `format=json`), `h` column selection
// by name or alias, `v` headers, `health` filter and `s` sort, hidden indices left out.
import { OsError } from './errors.js';
import { ok, type Req, type Res } from './req-res.js';
import type { Index, Store } from './store.js';

interface Column {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly value: (i: Index) => string;
}

const replicas = (i: Index) => Number(i.settings.number_of_replicas ?? 1);
const health = (i: Index) => (replicas(i) > 0 ? 'yellow' : 'green');
const open = (i: Index, v: () => string) => (i.closed ? '' : v());

const COLUMNS: Column[] = [
  { name: 'health', aliases: ['h'], value: health },
  { name: 'status', aliases: ['s'], value: (i) => (i.closed ? 'close' : 'open') },
  { name: 'index', aliases: ['i', 'idx'], value: (i) => i.name },
  { name: 'uuid', aliases: ['id'], value: (i) => i.uuid },
  { name: 'pri', aliases: ['p', 'shards.primary', 'shardsPrimary'], value: (i) => String(i.layout.shards) },
  { name: 'rep', aliases: ['r', 'shards.replica', 'shardsReplica'], value: (i) => String(replicas(i)) },
  {
    name: 'docs.count',
    aliases: ['dc', 'docsCount'],
    value: (i) => open(i, () => String(i.searchable.size)),
  },
  { name: 'docs.deleted', aliases: ['dd', 'docsDeleted'], value: (i) => open(i, () => '0') },
  { name: 'creation.date', aliases: ['cd'], value: (i) => String(i.created) },
  { name: 'creation.date.string', aliases: ['cds'], value: (i) => new Date(i.created).toISOString() },
  { name: 'store.size', aliases: ['ss', 'storeSize'], value: (i) => open(i, () => '208b') },
  { name: 'pri.store.size', aliases: [], value: (i) => open(i, () => '208b') },
];
const DEFAULT = [
  'health',
  'status',
  'index',
  'uuid',
  'pri',
  'rep',
  'docs.count',
  'docs.deleted',
  'store.size',
  'pri.store.size',
];

function column(name: string): Column {
  const c = COLUMNS.find((x) => x.name === name || x.aliases.includes(name));
  if (!c) throw new OsError(400, 'illegal_argument_exception', `headers [${name}] are not recognized`);
  return c;
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function catIndices(store: Store, req: Req, expr: string | undefined): Res {
  const q = req.query;
  const wantHealth = q.get('health');
  if (wantHealth !== null && !['green', 'yellow', 'red'].includes(wantHealth))
    throw new OsError(400, 'illegal_argument_exception', `unknown health status [${wantHealth}]`);
  const wild = q.get('expand_wildcards') ?? '';
  const names = store.resolve(expr ?? '*', true, wild.includes('hidden') || wild.includes('all'));
  let indices = names.map((n) => store.indexes.get(n)).filter((i): i is Index => i !== undefined);
  if (wantHealth !== null) indices = indices.filter((i) => health(i) === wantHealth);
  const columns = (q.get('h')?.split(',') ?? DEFAULT).map(column);
  let rows = indices.map((i) => columns.map((c) => c.value(i)));
  for (const key of (q.get('s') ?? '').split(',').filter(Boolean).reverse()) {
    const [name, dir] = key.split(':');
    const at = columns.indexOf(column(name as string));
    if (at < 0) continue;
    rows = [...rows].sort((a, b) => compare(a[at] ?? '', b[at] ?? '') * (dir === 'desc' ? -1 : 1));
  }
  if (q.get('format') === 'json')
    return ok(
      rows.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i] === '' ? null : r[i]]))),
    );
  const table = q.get('v') === 'true' ? [columns.map((c) => c.name), ...rows] : rows;
  const widths = columns.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const lines = table.map((r) => r.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' '));
  return ok(lines.length ? `${lines.join('\n')}\n` : '');
}
