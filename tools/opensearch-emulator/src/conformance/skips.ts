// `skip` sections: version ranges read the OpenSearch way (a legacy Elasticsearch
// version, major 5 and up, sorts below every OpenSearch version) and features.

/** The version the emulator reports and skip ranges are checked against. */
export const EMULATED_VERSION = '2.19.0';

/** Runner features implemented here; a test needing any other is skipped. */
export const SUPPORTED_FEATURES = new Set([
  'headers',
  'warnings',
  'allowed_warnings',
  'warnings_regex',
  'allowed_warnings_regex',
  'stash_in_key',
  'stash_in_path',
  'stash_path_replace',
  'embedded_stash_key',
  'default_shards',
  'node_selector',
  'contains',
  'arbitrary_key',
]);

function key(version: string): number[] {
  const [major = 0, minor = 0, patch = 0] = version
    .trim()
    .split('.')
    .map((p) => Number.parseInt(p, 10) || 0);
  return [major >= 5 ? 0 : 1, major, minor, patch];
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** Whether `version` falls in a skip expression like " - 2.99.99", "7.2.0 - ", "all". */
export function inVersionRange(range: string, version: string = EMULATED_VERSION): boolean {
  const v = key(version);
  return range.split(',').some((r) => {
    if (r.trim() === 'all') return true;
    const [lo = '', hi = ''] = r.split(' - ').length === 2 ? r.split(' - ') : r.split('-');
    return (lo.trim() === '' || cmp(v, key(lo)) >= 0) && (hi.trim() === '' || cmp(v, key(hi)) <= 0);
  });
}

/** Why a `skip` section skips this run, or null to run. */
export function skipReason(skip: Record<string, unknown>, version: string = EMULATED_VERSION): string | null {
  if (typeof skip.version === 'string' && inVersionRange(skip.version, version))
    return `version ${version} in [${skip.version}]: ${String(skip.reason ?? '')}`;
  const raw = skip.features;
  const features = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
  const missing = features.filter((f) => !SUPPORTED_FEATURES.has(f));
  if (missing.length > 0) return `runner lacks feature [${missing.join(',')}]`;
  return null;
}
