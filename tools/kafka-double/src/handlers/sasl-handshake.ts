// SaslHandshake (key 17) v0–v1: the client names a mechanism; the answer lists
// the enabled ones. An unknown mechanism gets UNSUPPORTED_SASL_MECHANISM and the
// connection closes after it, as Kafka does.
import { ProtocolError } from '../errors.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const saslHandshake: Api = {
  apiKey: 17,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  handle: (body, _header, _ctx, connection) => {
    const mechanism = body.string();
    const session = connection.sasl;
    if (session === null) throw new ProtocolError('SASL is not enabled');
    const enabled = session.handshake(mechanism);
    if (!enabled) connection.closeAfterResponse();
    return new Writer()
      .int16(enabled ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_SASL_MECHANISM)
      .array(session.mechanisms, (w, m) => w.string(m))
      .toBuffer();
  },
};
