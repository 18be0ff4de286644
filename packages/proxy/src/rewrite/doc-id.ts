// Shared-index document ids from a template such as `{partition}:{id}`,
// `{partition}:{index}:{id}` or `{partition}:{body.sku}`: logical → physical on
// the way in, physical → logical (or "not this partition's") on the way out.
// `{id}` is the URL id only (a body without one gets an auto id, as in
// OpenSearch); `{body.<field>}` takes the URL id, else that body field.
import { type DocIdRule, FlussoError, type IndexName, layoutIdPrefix, type PartitionId } from '@flusso/core';
import { type JObject, member } from '../json/node.js';

const ID_PLACEHOLDER = /\{(id|body\.[A-Za-z_][\w]*)\}$/;

export interface DocIdCodec {
  /** The body field ids come from when the URL names none (`{body.<field>}`); undefined for `{id}`. */
  readonly bodyField: string | undefined;
  /** Physical id from the URL id, else the body field; undefined when neither gives one. */
  physical(
    partition: PartitionId,
    index: IndexName,
    urlId: string | undefined,
    document?: JObject | null,
  ): string | undefined;
  /** Logical id of a physical id, or undefined when it is not `partition`'s (in `index`). */
  logical(partition: PartitionId, index: IndexName, physicalId: string): string | undefined;
  /**
   * When `logical` is "the rest of a physical id after this prefix" (else undefined): lets
   * a reader of reply bytes map ids without making strings of them.
   */
  readonly prefix?: (partition: PartitionId, index: IndexName) => string;
}

function invalidRule(rule: string): never {
  throw new FlussoError('config_invalid', 'doc id template is not usable', { context: { rule } });
}

/** A body id field as written: a non-empty string, or an integer's exact digits. */
function bodyId(document: JObject | null | undefined, field: string | undefined): string | undefined {
  if (field === undefined || document === null || document === undefined) return undefined;
  const value = member(document, field);
  if (value?.t === 's' && value.value !== '') return value.value;
  if (value?.t === 'n' && /^-?\d+$/.test(value.raw)) return value.raw;
  return undefined;
}

/** Build a codec; throws `config_invalid` unless the template has `{partition}` before a final id placeholder. */
export function docIdCodec(rule: DocIdRule): DocIdCodec {
  const match = ID_PLACEHOLDER.exec(rule.template);
  if (match === null) invalidRule('must end with {id} or {body.<field>}');
  const head = rule.template.slice(0, match.index);
  if (head.split('{partition}').length !== 2) invalidRule('must contain {partition} exactly once');
  if (/\{(?!partition\}|index\})/.test(head)) invalidRule('unknown placeholder');
  const field = match[1] === 'id' ? undefined : match[1]!.slice('body.'.length);
  // Rendered on every id in and out: keep the recent prefixes (bounded, cleared when full).
  const prefixes = new Map<string, string>();
  // The last pair asked for: every hit of a reply asks for the same one, and building
  // and hashing its key cost a tenth of the reply splice.
  let last: { readonly partition: string; readonly index: string; readonly rendered: string } | undefined;
  const prefix = (partition: PartitionId, index: IndexName) => {
    if (last !== undefined && last.partition === partition && last.index === index) return last.rendered;
    const key = `${partition}\u0000${index}`;
    let rendered = prefixes.get(key);
    if (rendered === undefined) {
      if (prefixes.size >= 10_000) prefixes.clear();
      rendered = layoutIdPrefix(rule.template, partition, index);
      prefixes.set(key, rendered);
    }
    last = { partition, index, rendered };
    return rendered;
  };
  return {
    bodyField: field,
    physical(partition, index, urlId, document) {
      const id = urlId ?? bodyId(document, field);
      return id === undefined ? undefined : `${prefix(partition, index)}${id}`;
    },
    logical(partition, index, physicalId) {
      const p = prefix(partition, index);
      return physicalId.startsWith(p) ? physicalId.slice(p.length) : undefined;
    },
    prefix,
  };
}
