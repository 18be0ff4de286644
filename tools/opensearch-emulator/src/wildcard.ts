// `*` patterns as OpenSearch reads them in index expressions and template patterns.
export function wildcardRegExp(pattern: string): RegExp {
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}
