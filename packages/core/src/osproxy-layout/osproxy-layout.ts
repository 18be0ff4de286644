// osproxy's reference shared-index layout, defined once for both products:
// osproxy's reference tenancy reads and writes through it, and flusso's
// OpenSearch sink (`layout = "osproxy"`) writes documents exactly as osproxy
// would have. Pure: names and strings in, names and strings out.

/** Default shared physical index (`OSPROXY_INDEX`). */
export const defaultOsproxyIndex = 'osproxy-shared';
/** Default injected field naming the tenant. */
export const defaultTenantField = '_tenant';
/** Default injected field naming the logical index (one physical index for several). */
export const defaultIndexField = '_index_name';

export interface OsproxyLayoutOptions {
  /** Shared physical index, or a template with `{index}` (and/or `{partition}`). */
  readonly index?: string;
  /** Injected field naming the tenant (default `_tenant`). */
  readonly tenantField?: string;
  /** Injected field naming the logical index (default `_index_name`); only when logical indexes share one. */
  readonly indexField?: string;
  /** Id placeholder at the end of the id template: `{id}` (default) or `{body.<field>}`. */
  readonly idPlaceholder?: string;
}

export interface OsproxyLayout {
  /** The physical index template (`osproxy-shared`, `osproxy-{index}`). */
  readonly indexTemplate: string;
  /** True when each logical index has its own physical index (`{index}` in the template). */
  readonly perLogicalIndex: boolean;
  /** Document id template: `{partition}:{index}:{id}`, or `{partition}:{id}` per logical index. */
  readonly idTemplate: string;
  /** Injected field → value template (`{partition}`, `{index}`). */
  readonly injectTemplate: Readonly<Record<string, string>>;
  readonly tenantField: string;
  /** The logical-index field, or undefined when each logical index has its own physical index. */
  readonly indexField: string | undefined;
}

/** Replace `{partition}` and `{index}` in a layout template. */
export function renderLayoutTemplate(template: string, partition: string, index: string): string {
  return template.replaceAll('{index}', index).replaceAll('{partition}', partition);
}

/** The layout for osproxy's settings (same defaults as osproxy). */
export function osproxyLayout(options: OsproxyLayoutOptions = {}): OsproxyLayout {
  const indexTemplate = options.index ?? defaultOsproxyIndex;
  const perLogicalIndex = indexTemplate.includes('{index}');
  const tenantField = options.tenantField ?? defaultTenantField;
  const indexField = perLogicalIndex ? undefined : (options.indexField ?? defaultIndexField);
  const id = options.idPlaceholder ?? '{id}';
  const injectTemplate: Record<string, string> = { [tenantField]: '{partition}' };
  if (indexField !== undefined) injectTemplate[indexField] = '{index}';
  return {
    indexTemplate,
    perLogicalIndex,
    idTemplate: perLogicalIndex ? `{partition}:${id}` : `{partition}:{index}:${id}`,
    injectTemplate,
    tenantField,
    indexField,
  };
}

/** Physical index for (logical index, tenant). */
export function layoutPhysicalIndex(layout: OsproxyLayout, index: string, tenant: string): string {
  return renderLayoutTemplate(layout.indexTemplate, tenant, index);
}

/** The id prefix of a tenant's documents in a logical index (the id template without its id placeholder). */
export function layoutIdPrefix(idTemplate: string, tenant: string, index: string): string {
  const head = idTemplate.slice(0, idTemplate.lastIndexOf('{'));
  return head.replace('{partition}', tenant).replaceAll('{index}', index);
}

/** Physical document id for (tenant, logical index, logical id). */
export function layoutDocumentId(layout: OsproxyLayout, tenant: string, index: string, id: string): string {
  return `${layoutIdPrefix(layout.idTemplate, tenant, index)}${id}`;
}

/** Logical id of a physical id, or undefined when it is not `tenant`'s in `index`. */
export function layoutLogicalId(
  layout: OsproxyLayout,
  tenant: string,
  index: string,
  physicalId: string,
): string | undefined {
  const prefix = layoutIdPrefix(layout.idTemplate, tenant, index);
  return physicalId.startsWith(prefix) ? physicalId.slice(prefix.length) : undefined;
}

/** Injected field → value for a tenant's document in a logical index. */
export function layoutInjectedFields(
  inject: Readonly<Record<string, string>>,
  tenant: string,
  index: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(inject))
    out[field] = renderLayoutTemplate(value, tenant, index);
  return out;
}

/** Routing of a tenant's documents: the tenant. */
export function layoutRouting(tenant: string): string {
  return tenant;
}
