// ApiVersions (key 18) v0–v2. An unsupported version is answered in the v0
// layout with UNSUPPORTED_VERSION, as Kafka does, so the client can step down.
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const apiVersions: Api = {
  apiKey: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 2,
  handle: (_body, header, ctx) => {
    const supported = header.apiVersion <= 2;
    const w = new Writer()
      .int16(supported ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_VERSION)
      .array(ctx.apis, (w, a) => w.int16(a.apiKey).int16(a.minVersion).int16(a.maxVersion));
    if (supported && header.apiVersion >= 1) w.int32(0);
    return w.toBuffer();
  },
};
