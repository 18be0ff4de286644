// Plans a client `_bulk` body: each item's action, logical index and id, its
// partition (from the principal, header or its own source line), placement and
// admission, and the physical action + source lines to send. An item the proxy
// refuses keeps its position with a typed error; the rest go ahead.
import { type Epoch, type IndexName, isJsonObject, type JsonObject, parseIndexName } from '@flusso/core';
import { readNdjsonObjects } from '../json/body.js';
import { jObject, jString, memberOf } from '../json/build.js';
import { idText, isObject, type JMember, type JNode, type JObject, member } from '../json/node.js';
import { toPlain } from '../json/plain.js';
import type { RequestContext } from '../pipeline/context.js';
import { ProxyError } from '../request/proxy-error.js';
import { type AnswerableError, isAnswerable } from '../request/request-status.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { prepareUpdate, updateDocuments } from './doc-write.js';

export type BulkAction = 'index' | 'create' | 'update' | 'delete';

const ACTIONS = new Set<string>(['index', 'create', 'update', 'delete']);
// Action-line metadata forwarded as given; `routing` and `_index`/`_id` are the proxy's to set.
const META_KEYS = [
  'if_seq_no',
  'if_primary_term',
  'version',
  'version_type',
  'retry_on_conflict',
  'require_alias',
];

export interface PlannedItem {
  readonly position: number;
  readonly action: BulkAction;
  readonly logicalId: string | undefined;
  readonly view: PartitionView;
  readonly epoch: Epoch;
  readonly lines: JNode[];
}

export interface RefusedItem {
  readonly position: number;
  readonly action: BulkAction;
  readonly index: string | undefined;
  readonly logicalId: string | undefined;
  readonly error: AnswerableError;
}

interface RawItem {
  readonly action: BulkAction;
  /** The action metadata, plain for decisions. */
  readonly meta: JsonObject;
  /** The same metadata as written (numbers such as external versions kept exact). */
  readonly metaNode: JObject;
  readonly source: JObject | undefined;
}

function malformed(message: string, line: number): never {
  throw new ProxyError('malformed_request', message, { context: { line } });
}

/** Splits NDJSON into items; a structural error fails the whole request (positions would be lost). */
function rawItems(body: Uint8Array | string | null): RawItem[] {
  // Action metadata, source top-level members and update `doc`/`upsert` members are read; the rest is scanned.
  const lines = readNdjsonObjects(body, 2);
  const items: RawItem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as JObject;
    const [only, more] = line.members;
    const action = only?.key;
    if (more !== undefined || action === undefined || !ACTIONS.has(action))
      malformed('unknown bulk action', i + 1);
    const metaNode = (only as JMember).value;
    const meta = toPlain(metaNode);
    if (!isObject(metaNode) || !isJsonObject(meta))
      malformed('bulk action metadata must be an object', i + 1);
    if (action === 'delete') {
      items.push({ action, meta, metaNode, source: undefined });
      continue;
    }
    const source = lines[i + 1];
    if (source === undefined) malformed('bulk action is missing its source line', i + 1);
    items.push({ action: action as BulkAction, meta, metaNode, source });
    i += 1;
  }
  if (items.length === 0) malformed('bulk body has no items', 0);
  return items;
}

function itemIndex(meta: JsonObject, fallback: IndexName | undefined): IndexName {
  const named = meta._index;
  if (named === undefined && fallback !== undefined) return fallback;
  if (typeof named !== 'string') {
    throw new ProxyError('malformed_request', 'bulk item names no index', {
      context: { rule: 'index_required' },
    });
  }
  return parseIndexName(named);
}

/** The client's `_id` as written: a number's own digits (`12345678901234567891`, `1.0`), never a rounded double. */
function clientId(metaNode: JObject): string | undefined {
  return idText(member(metaNode, '_id'));
}

function planItem(
  ctx: RequestContext,
  raw: RawItem,
  position: number,
  fallback: IndexName | undefined,
): PlannedItem {
  const documents =
    raw.source === undefined ? [] : raw.action === 'update' ? updateDocuments(raw.source) : [raw.source];
  const partition = ctx.partitionOfAll(documents);
  const { view, state } = ctx.view(partition, itemIndex(raw.meta, fallback));
  ctx.deps.tenancy.admitWrite(partition, state.epoch);
  const urlId = clientId(raw.metaNode);
  const writes = raw.action === 'index' || raw.action === 'create';
  let id = writes
    ? view.physicalId(urlId, raw.source)
    : urlId === undefined
      ? undefined
      : view.requirePhysicalId(urlId);
  if (id === undefined && !writes) {
    throw new ProxyError('malformed_request', `bulk ${raw.action} needs an _id`, {
      context: { rule: 'id_required' },
    });
  }
  if (id === undefined && view.shared) id = view.physicalId(ctx.deps.newId());
  const meta = [memberOf('_index', jString(view.physical))];
  if (view.shared) meta.push(memberOf('routing', jString(view.partition)));
  if (id !== undefined) meta.push(memberOf('_id', jString(id)));
  meta.push(...raw.metaNode.members.filter((m) => META_KEYS.includes(m.key)));
  // An item without an `_id` creates, as OpenSearch's auto ids do: it never overwrites.
  const upstreamAction = raw.action === 'index' && urlId === undefined ? 'create' : raw.action;
  const lines: JNode[] = [jObject([memberOf(upstreamAction, jObject(meta))])];
  if (raw.source !== undefined) {
    lines.push(raw.action === 'update' ? prepareUpdate(raw.source, view) : view.prepareDocument(raw.source));
  }
  const logicalId = id === undefined ? undefined : view.logicalId(id);
  return { position, action: raw.action, logicalId, view, epoch: state.epoch, lines };
}

export function planBulk(
  ctx: RequestContext,
  fallback: IndexName | undefined,
): { planned: PlannedItem[]; refused: RefusedItem[] } {
  const planned: PlannedItem[] = [];
  const refused: RefusedItem[] = [];
  rawItems(ctx.request.body).forEach((raw, position) => {
    try {
      planned.push(planItem(ctx, raw, position, fallback));
    } catch (error) {
      if (!isAnswerable(error)) throw error;
      const index = typeof raw.meta._index === 'string' ? raw.meta._index : fallback;
      refused.push({ position, action: raw.action, index, logicalId: clientId(raw.metaNode), error });
    }
  });
  return { planned, refused };
}
