// InitProducerId (key 22) v0–v1: a fresh producer id, epoch 0, for idempotent
// producers. Transactions are not supported.
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const initProducerId: Api = {
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  handle: (body, _header, ctx) => {
    const transactionalId = body.nullableString();
    body.int32(); // transaction timeout
    const w = new Writer().int32(0);
    if (transactionalId !== null) return w.int16(ErrorCode.INVALID_REQUEST).int64(-1).int16(-1).toBuffer();
    return w.int16(ErrorCode.NONE).int64(ctx.store.allocateProducerId()).int16(0).toBuffer();
  },
};
