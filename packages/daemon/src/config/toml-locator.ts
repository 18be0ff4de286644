// Finds the line of a key path in TOML text, so a validation error can name
// file:line:key. A light scan of table headers and `key =` lines: enough for
// the flat layout flusso.toml uses (tables, arrays of tables, inline tables).

function headerPath(line: string): { path: string[]; array: boolean } | null {
  const m = /^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
  if (!m) return null;
  return { path: (m[2] ?? '').split('.').map((p) => p.trim().replace(/^"|"$/g, '')), array: m[1] === '[[' };
}

/** 1-based line of `path` (e.g. ['sinks','primary','batch_size'] or ['index', 0, 'name']); 0 if unknown. */
export function locateTomlKey(text: string, path: readonly (string | number)[]): number {
  const lines = text.split('\n');
  let table: (string | number)[] = [];
  const arrayCounts = new Map<string, number>();
  let best = 0;
  let bestDepth = -1;
  for (const [i, line] of lines.entries()) {
    const header = headerPath(line);
    if (header) {
      if (header.array) {
        const key = header.path.join('.');
        const n = arrayCounts.get(key) ?? 0;
        arrayCounts.set(key, n + 1);
        table = [...header.path, n];
      } else table = header.path;
      const depth = matchDepth(table, path);
      if (depth === table.length && depth > bestDepth) {
        best = i + 1;
        bestDepth = depth;
      }
      continue;
    }
    const kv = /^\s*("?[A-Za-z0-9_-]+"?)\s*=/.exec(line);
    if (!kv) continue;
    const full = [...table, (kv[1] ?? '').replace(/^"|"$/g, '')];
    const depth = matchDepth(full, path);
    if (depth === full.length && depth > bestDepth) {
      best = i + 1;
      bestDepth = depth;
    }
  }
  return best;
}

function matchDepth(candidate: readonly (string | number)[], path: readonly (string | number)[]): number {
  let n = 0;
  while (n < candidate.length && n < path.length && String(candidate[n]) === String(path[n])) n++;
  return n;
}
