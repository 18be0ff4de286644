// Asynchronous single-document writes (`X-Write-Mode: async`, or the configured
// default): the write is resolved exactly as for the cluster, then handed to the
// write queue; the client gets 202 only once the queue acknowledged it.
import { childSpan, FlussoError, formatTraceparent, type JsonValue, type PlacementState } from '@flusso/core';
import type { QueuedWrite } from '@flusso/sinks';
import type { RequestContext } from '../pipeline/context.js';
import { jsonResponse } from '../request/json-body.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PartitionView } from '../rewrite/partition-view.js';

// A queued write applies later, against whatever version is current then.
const CONDITIONAL = ['if_seq_no', 'if_primary_term', 'version', 'version_type'];

export function asyncRequested(ctx: RequestContext): boolean {
  const mode = ctx.request.headers['x-write-mode'];
  return mode === undefined ? ctx.deps.asyncDefault === true : mode.toLowerCase() === 'async';
}

export interface PlannedWrite {
  readonly view: PartitionView;
  readonly state: PlacementState;
  readonly action: QueuedWrite['action'];
  /** Physical id; a queued write always has one, so applying it twice is harmless. */
  readonly id: string | undefined;
  readonly body: JsonValue | null;
}

export async function queueWrite(ctx: RequestContext, plan: PlannedWrite): Promise<ProxyResponse> {
  const queue = ctx.deps.queue;
  if (queue === undefined) {
    throw new FlussoError('unprocessable', 'async writes need a write queue; none is configured');
  }
  if (CONDITIONAL.some((key) => ctx.request.query[key] !== undefined)) {
    throw new FlussoError('malformed_request', 'version-conditional writes cannot be queued', {
      context: { rule: 'async_conditional' },
    });
  }
  const { view, state } = plan;
  const id = plan.id ?? view.physicalId(ctx.deps.newId()) ?? ctx.deps.newId();
  const opId = ctx.deps.newId();
  await queue.enqueue({
    opId,
    partition: view.partition,
    action: plan.action,
    cluster: view.placement.cluster,
    index: view.physical,
    id,
    ...(view.shared ? { routing: view.partition } : {}),
    body: plan.body,
    epoch: state.epoch,
    traceparent: formatTraceparent(childSpan(ctx.request.trace)),
  });
  ctx.explain.queued = true;
  return jsonResponse(202, {
    op_id: opId,
    status: 'accepted',
    result: 'queued',
    _index: view.logical,
    _id: view.logicalId(id) ?? id,
  });
}
