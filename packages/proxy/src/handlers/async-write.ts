// Asynchronous single-document writes (`X-Write-Mode: async`, or the configured
// default): the write is resolved exactly as for the cluster, then handed to the
// write queue; the client gets 202 only once the queue acknowledged it. The op
// id (`X-Op-Id` when the client sends one) is the applier's idempotency key.
import { childSpan, formatTraceparent, type PlacementState } from '@flusso/core';
import type { QueuedWrite } from '@flusso/sinks';
import type { RequestContext } from '../pipeline/context.js';
import { jsonResponse } from '../request/json-body.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import type { PartitionView } from '../rewrite/partition-view.js';

// A queued write applies later, against whatever version is current then.
const CONDITIONAL = ['if_seq_no', 'if_primary_term', 'version', 'version_type'];

// A client-chosen op id is the idempotency key a downstream applier dedups on:
// bounded and limited to a key-safe charset.
const OP_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether this write goes to the queue; an unknown mode is refused, not guessed. */
export function asyncRequested(ctx: RequestContext): boolean {
  const mode = ctx.request.headers['x-write-mode']?.toLowerCase();
  if (mode === undefined) return ctx.deps.asyncDefault === true;
  if (mode === 'async') return true;
  if (mode === 'sync') return false;
  throw new ProxyError('malformed_request', 'X-Write-Mode must be sync or async', {
    context: { rule: 'write_mode' },
  });
}

function opIdOf(ctx: RequestContext): string {
  const given = ctx.request.headers['x-op-id'];
  if (given === undefined) return ctx.deps.newId();
  if (!OP_ID.test(given)) {
    throw new ProxyError('malformed_request', 'X-Op-Id must be 1 to 128 of A-Z a-z 0-9 . _ : -', {
      context: { rule: 'op_id' },
    });
  }
  return given;
}

export interface PlannedWrite {
  readonly view: PartitionView;
  readonly state: PlacementState;
  readonly action: QueuedWrite['action'];
  /** Physical id; a queued write always has one, so applying it twice is harmless. */
  readonly id: string | undefined;
  /** The resolved body's exact JSON text; null for a delete. */
  readonly body: string | null;
}

export async function queueWrite(ctx: RequestContext, plan: PlannedWrite): Promise<ProxyResponse> {
  const queue = ctx.deps.queue;
  if (queue === undefined) {
    throw new ProxyError('unprocessable', 'async writes need a write queue; none is configured');
  }
  if (CONDITIONAL.some((key) => ctx.request.query[key] !== undefined)) {
    throw new ProxyError('malformed_request', 'version-conditional writes cannot be queued', {
      context: { rule: 'async_conditional' },
    });
  }
  const opId = opIdOf(ctx);
  const { view, state } = plan;
  const id = plan.id ?? view.physicalId(ctx.deps.newId()) ?? ctx.deps.newId();
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
