// Nested documents: each object under a `nested` path is its own hidden document.
// A nested query matches when one of those objects (with its root's other fields)
// matches; a `nested` aggregation counts the objects themselves.
import { OsError } from './errors.js';

type Q = Record<string, unknown>;

/** One nested object of a document: the root source narrowed to it, and its place. */
export interface NestedDoc {
  /** The root source where the nested path holds only this one object. */
  readonly source: Q;
  /** The nested object itself. */
  readonly object: Q;
  /** Its position among the objects at the path, in source order. */
  readonly offset: number;
}

function isObject(v: unknown): v is Q {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The copies of `obj` in which `segments` leads to exactly one object. */
function narrow(obj: Q, segments: readonly string[]): { source: Q; object: Q }[] {
  const [head, ...rest] = segments as [string, ...string[]];
  const value = obj[head];
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items
    .filter(isObject)
    .flatMap((item) =>
      rest.length === 0
        ? [{ source: { ...obj, [head]: item }, object: item }]
        : narrow(item, rest).map((n) => ({ source: { ...obj, [head]: n.source }, object: n.object })),
    );
}

/** Every nested object at `path` (a dotted path from the root) of a source. */
export function nestedDocs(source: Q, path: string): NestedDoc[] {
  if (path === '') return [];
  return narrow(source, path.split('.')).map((n, offset) => ({ ...n, offset }));
}

/** The `path` of a nested query or aggregation, required. */
export function nestedPath(body: unknown, kind: string): string {
  const path = isObject(body) ? body.path : undefined;
  if (typeof path !== 'string' || path === '')
    throw new OsError(
      400,
      kind === 'query' ? 'parsing_exception' : 'illegal_argument_exception',
      `[nested] requires 'path' field`,
    );
  return path;
}

/** How many nested objects a document holds under every nested path of a mapping. */
export function countNested(source: Q, nestedPaths: readonly string[]): number {
  return nestedPaths.reduce((n, p) => n + nestedDocs(source, p).length, 0);
}

interface Mapped {
  readonly type?: unknown;
  readonly properties?: Readonly<Record<string, Mapped>>;
}

/** The dotted paths of every `nested` field of a mapping. */
export function nestedPathsOf(props: Readonly<Record<string, Mapped>>, prefix = ''): string[] {
  return Object.entries(props).flatMap(([key, m]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const below = m.properties ? nestedPathsOf(m.properties, path) : [];
    return m.type === 'nested' ? [path, ...below] : below;
  });
}

/** `index.mapping.nested_objects.limit` (10000): a document may hold no more nested objects. */
export function checkNestedLimit(settings: Q, props: Readonly<Record<string, Mapped>>, source: Q): void {
  const mapping = isObject(settings.mapping) ? settings.mapping : {};
  const nested = isObject(mapping.nested_objects) ? mapping.nested_objects : {};
  const limit = Number(nested.limit ?? 10000);
  const paths = nestedPathsOf(props);
  if (paths.length === 0 || countNested(source, paths) <= limit) return;
  throw new OsError(
    400,
    'illegal_argument_exception',
    `The number of nested documents has exceeded the allowed limit of [${limit}]. This limit can be set by changing the [index.mapping.nested_objects.limit] index level setting.`,
  );
}

/** Where a nested hit sits in its root document, as `_nested` shows it. */
export interface NestedPlace {
  readonly field: string;
  readonly offset: number;
  readonly object: Q;
}

/** The nested objects at `path` of each hit, as hits of their own (for a `nested` aggregation). */
export function nestedHits<H extends { readonly source: Q }>(
  hits: readonly H[],
  path: string,
): (H & { readonly nested: NestedPlace })[] {
  return hits.flatMap((h) =>
    nestedDocs(h.source, path).map((n) => ({
      ...h,
      source: n.source,
      nested: { field: path, offset: n.offset, object: n.object },
    })),
  );
}
