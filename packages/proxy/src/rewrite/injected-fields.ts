// Where a hit names the injected fields: in `_source` by their own names, in `fields`
// and a wildcard highlight also by their multi-fields (`_tenant.keyword`).

/** Whether `key` is an injected field (or, with `subfields`, one of its multi-fields: `_tenant.keyword`). */
export function isInjected(injected: readonly string[], key: string, subfields: boolean): boolean {
  for (const field of injected) {
    if (
      key === field ||
      (subfields && key.length > field.length && key[field.length] === '.' && key.startsWith(field))
    )
      return true;
  }
  return false;
}
