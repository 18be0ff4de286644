// `include: {partition, num_partitions}` on terms aggregations: each term falls in
// one partition by hash, as OpenSearch's IncludeExclude computes it (murmur3 with
// seed 31 over a string's UTF-8 bytes, HPPC's BitMixer.mix64 over a long).
import { OsError } from './errors.js';
import { murmur3 } from './routing.js';

const MASK = (1n << 64n) - 1n;

function toSigned(x: bigint): bigint {
  const u = x & MASK;
  return u >= 1n << 63n ? u - (1n << 64n) : u;
}

/** HPPC `BitMixer.mix64`. */
function mix64(value: bigint): bigint {
  let z = value & MASK;
  z = ((z ^ (z >> 32n)) * 0x4cd6944c5cc20b6dn) & MASK;
  z = ((z ^ (z >> 29n)) * 0xfc12c5b19d3259e9n) & MASK;
  return toSigned(z ^ (z >> 32n));
}

function floorMod(x: bigint, n: bigint): bigint {
  return ((x % n) + n) % n;
}

/** The partition a term falls in. */
export function partitionOf(value: unknown, partitions: number): number {
  const n = BigInt(partitions);
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)))
    return Number(floorMod(mix64(BigInt(value)), n));
  const hash = murmur3(new TextEncoder().encode(String(value)), 31);
  return Number(floorMod(BigInt(hash), n));
}

/** A filter keeping the terms of the requested partition, if `include` asks for one. */
export function partitionFilter(include: unknown): ((value: unknown) => boolean) | undefined {
  if (!include || typeof include !== 'object' || Array.isArray(include)) return undefined;
  const { partition, num_partitions } = include as Record<string, unknown>;
  const p = Number(partition);
  const n = Number(num_partitions);
  if (!Number.isInteger(n) || n < 1)
    throw new OsError(
      400,
      'illegal_argument_exception',
      'Missing [num_partitions] parameter for partition-based include',
    );
  if (!Number.isInteger(p) || p < 0 || p >= n)
    throw new OsError(400, 'illegal_argument_exception', `Invalid partition: [${String(partition)}]`);
  return (value) => partitionOf(value, n) === p;
}

const STRING_TYPES = new Set(['keyword', 'text', 'constant_keyword', 'wildcard']);

/**
 * A regular-expression `include`/`exclude` applies to string fields only: on an
 * ip, numeric, date or boolean field OpenSearch refuses the aggregation.
 */
export function checkRegexIncludes(
  name: string,
  spec: Record<string, unknown>,
  types: (string | undefined)[],
): void {
  if (typeof spec.include !== 'string' && typeof spec.exclude !== 'string') return;
  if (types.every((t) => t === undefined || STRING_TYPES.has(t))) return;
  // An AggregationExecutionException: OpenSearch answers it with 500.
  throw new OsError(
    500,
    'aggregation_execution_exception',
    `Aggregation [${name}] cannot support regular expression style include/exclude settings as they can only be applied to string fields. Use an array of values for include/exclude clauses`,
  );
}
