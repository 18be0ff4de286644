// One hit as a search reply shows it, for `_search` pages and `top_hits` alike.
import { filterSource, type Hit, sortValues } from './query.js';

export type RenderableHit = Hit & { readonly index: string; readonly doc?: { readonly routing?: string } };

export function renderHit(
  h: RenderableHit,
  spec: { _source?: unknown; sort?: unknown },
): Record<string, unknown> {
  const source = filterSource(h.source, spec._source);
  const sort = sortValues(h, spec.sort);
  return {
    _index: h.index,
    _id: h.id,
    _score: spec.sort ? null : 1,
    ...(h.doc?.routing ? { _routing: h.doc.routing } : {}),
    ...(source === undefined ? {} : { _source: source }),
    ...(sort ? { sort } : {}),
  };
}
