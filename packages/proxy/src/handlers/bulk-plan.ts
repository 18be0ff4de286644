// Plans a client `_bulk` body: each item's action, logical index and id, its
// partition (from the principal, header or its own source line), placement and
// admission, and the physical action + source lines to send. An item the proxy
// refuses keeps its position with a typed error; the rest go ahead.
import {
  type Epoch,
  FlussoError,
  type IndexName,
  isFlussoError,
  isJsonObject,
  type JsonObject,
  parseIndexName,
} from '@flusso/core';
import type { RequestContext } from '../pipeline/context.js';
import { ndjsonObjects } from '../request/json-body.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { prepareUpdate, updateDocument } from './doc-write.js';

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
  readonly lines: JsonObject[];
}

export interface RefusedItem {
  readonly position: number;
  readonly action: BulkAction;
  readonly index: string | undefined;
  readonly logicalId: string | undefined;
  readonly error: FlussoError;
}

interface RawItem {
  readonly action: BulkAction;
  readonly meta: JsonObject;
  readonly source: JsonObject | undefined;
}

function malformed(message: string, line: number): never {
  throw new FlussoError('malformed_request', message, { context: { line } });
}

/** Splits NDJSON into items; a structural error fails the whole request (positions would be lost). */
function rawItems(body: Uint8Array | string | null): RawItem[] {
  const lines = ndjsonObjects(body);
  const items: RawItem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as JsonObject;
    const keys = Object.keys(line);
    const action = keys[0];
    if (keys.length !== 1 || action === undefined || !ACTIONS.has(action))
      malformed('unknown bulk action', i + 1);
    const meta = line[action];
    if (!isJsonObject(meta)) malformed('bulk action metadata must be an object', i + 1);
    if (action === 'delete') {
      items.push({ action, meta, source: undefined });
      continue;
    }
    const source = lines[i + 1];
    if (source === undefined) malformed('bulk action is missing its source line', i + 1);
    items.push({ action: action as BulkAction, meta, source });
    i += 1;
  }
  if (items.length === 0) malformed('bulk body has no items', 0);
  return items;
}

function itemIndex(meta: JsonObject, fallback: IndexName | undefined): IndexName {
  const named = meta._index;
  if (named === undefined && fallback !== undefined) return fallback;
  if (typeof named !== 'string') {
    throw new FlussoError('malformed_request', 'bulk item names no index', {
      context: { rule: 'index_required' },
    });
  }
  return parseIndexName(named);
}

function clientId(meta: JsonObject): string | undefined {
  const id = meta._id;
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number') return String(id);
  return undefined;
}

function planItem(
  ctx: RequestContext,
  raw: RawItem,
  position: number,
  fallback: IndexName | undefined,
): PlannedItem {
  const document =
    raw.action === 'update' && raw.source !== undefined ? updateDocument(raw.source) : raw.source;
  const partition = ctx.partition(document);
  const { view, state } = ctx.view(partition, itemIndex(raw.meta, fallback));
  ctx.deps.tenancy.admitWrite(partition, state.epoch);
  const urlId = clientId(raw.meta);
  const writes = raw.action === 'index' || raw.action === 'create';
  let id = writes
    ? view.physicalId(urlId, raw.source)
    : urlId === undefined
      ? undefined
      : view.requirePhysicalId(urlId);
  if (id === undefined && !writes) {
    throw new FlussoError('malformed_request', `bulk ${raw.action} needs an _id`, {
      context: { rule: 'id_required' },
    });
  }
  if (id === undefined && view.shared) id = view.physicalId(ctx.deps.newId());
  const meta: JsonObject = { _index: view.physical, ...view.routing };
  if (id !== undefined) meta._id = id;
  for (const key of META_KEYS) if (raw.meta[key] !== undefined) meta[key] = raw.meta[key] ?? null;
  const lines: JsonObject[] = [{ [raw.action]: meta }];
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
      if (!isFlussoError(error)) throw error;
      const index = typeof raw.meta._index === 'string' ? raw.meta._index : fallback;
      refused.push({ position, action: raw.action, index, logicalId: clientId(raw.meta), error });
    }
  });
  return { planned, refused };
}
