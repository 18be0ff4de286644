// SaslAuthenticate (key 36) v0–v1: one message of the mechanism's exchange each.
// Bad credentials get SASL_AUTHENTICATION_FAILED with Kafka's message, then the
// connection closes. v1 adds the session lifetime: 0, no re-authentication.
import { ProtocolError, SaslAuthenticationError } from '../errors.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const saslAuthenticate: Api = {
  apiKey: 36,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: 1,
  handle: async (body, header, _ctx, connection) => {
    const message = body.bytes();
    const session = connection.sasl;
    if (session === null) throw new ProtocolError('SASL is not enabled');
    const w = new Writer();
    try {
      const reply = await session.authenticate(message);
      w.int16(ErrorCode.NONE).string(null).bytes(reply);
    } catch (error) {
      if (!(error instanceof SaslAuthenticationError)) throw error;
      connection.closeAfterResponse();
      w.int16(ErrorCode.SASL_AUTHENTICATION_FAILED).string(error.message).bytes(Buffer.alloc(0));
    }
    if (header.apiVersion >= 1) w.int64(0);
    return w.toBuffer();
  },
};
