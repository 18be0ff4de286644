// `significant_terms` on one shard, as OpenSearch computes it: the foreground is
// the docs of the current bucket, the background every doc of the searched
// indexes (or those `background_filter` matches). A term's default JLH score is
// (fg% − bg%) × (fg% / bg%) when it is more frequent in the foreground, else 0;
// terms scoring 0 or under `min_doc_count` (3) are dropped, the rest sorted by score.
import { OsError } from './errors.js';
import { valueKey } from './exact-numbers.js';
import { matches, tokens } from './query.js';
import type { RenderableHit as AggHit } from './render-hit.js';

type Q = Record<string, unknown>;

// biome-ignore format: a list reads better on few lines
const PARAMS = ['field', 'size', 'shard_size', 'min_doc_count', 'shard_min_doc_count', 'include', 'exclude',
  'execution_hint', 'background_filter', 'jlh', 'mutual_information', 'chi_square', 'gnd', 'percentage',
  'script_heuristic', 'missing', 'value_type', 'format', 'script'];

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  return (d[a.length] as number[])[b.length] as number;
}

/** Parse-time check: an unknown parameter fails with OpenSearch's did-you-mean. */
export function checkSignificantTermsSpec(spec: Q): void {
  for (const key of Object.keys(spec)) {
    if (PARAMS.includes(key)) continue;
    const near = PARAMS.filter((p) => distance(p, key) <= Math.max(1, Math.floor(key.length / 3)));
    const hint =
      near.length === 0
        ? ''
        : near.length === 1
          ? ` did you mean [${near[0]}]?`
          : ` did you mean any of [${near.join(', ')}]?`;
    throw new OsError(400, 'parsing_exception', `[significant_terms] unknown field [${key}]${hint}`);
  }
}

/** JLH: how much more frequent a term is in the foreground than in the background. */
function jlh(fg: number, fgSize: number, bg: number, bgSize: number): number {
  if (fgSize === 0 || bgSize === 0 || bg === 0) return 0;
  const fgP = fg / fgSize;
  const bgP = bg / bgSize;
  return fgP > bgP ? (fgP - bgP) * (fgP / bgP) : 0;
}

export interface SignificantInput {
  readonly spec: Q;
  readonly foreground: readonly AggHit[];
  readonly all: readonly AggHit[];
  /** A doc's values of the field (typed as the terms aggregation reads them). */
  readonly values: (hit: AggHit) => unknown[];
  /** Whether the field is analysed text (its terms are its tokens). */
  readonly text: boolean;
  readonly filter: (value: unknown) => boolean;
  readonly bucket: (docs: readonly AggHit[]) => Q;
}

export function significantTermsAgg(input: SignificantInput): Q {
  const { spec, foreground, text, filter, bucket } = input;
  const background =
    spec.background_filter === undefined
      ? input.all
      : input.all.filter((h) => matches(spec.background_filter, h));
  const termsOf = (h: AggHit): Map<string, unknown> => {
    const raw = input.values(h).flatMap((v) => (text ? tokens(v) : [v]));
    return new Map(raw.filter(filter).map((v) => [valueKey(v), v]));
  };
  const fg = new Map<string, { key: unknown; docs: AggHit[] }>();
  for (const h of foreground)
    for (const [id, key] of termsOf(h)) {
      const g = fg.get(id) ?? { key, docs: [] };
      g.docs.push(h);
      fg.set(id, g);
    }
  const bgCounts = new Map<string, number>();
  for (const h of background)
    for (const id of termsOf(h).keys()) bgCounts.set(id, (bgCounts.get(id) ?? 0) + 1);
  const min = Number(spec.min_doc_count ?? 3);
  const scored = [...fg]
    .map(([id, g]) => {
      const bg = bgCounts.get(id) ?? g.docs.length;
      return { g, bg, score: jlh(g.docs.length, foreground.length, bg, background.length) };
    })
    .filter((s) => s.score > 0 && s.g.docs.length >= min)
    .sort((a, b) => b.score - a.score);
  const size = Number(spec.size ?? 10);
  return {
    doc_count: foreground.length,
    bg_count: background.length,
    buckets: scored.slice(0, size).map((s) => ({
      key: s.g.key,
      ...bucket(s.g.docs),
      score: s.score,
      bg_count: s.bg,
    })),
  };
}
