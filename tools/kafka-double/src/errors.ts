// Typed errors of the double. A ProtocolError means the bytes a client sent cannot
// be a valid request; the server answers it by closing that connection.

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/**
 * SASL credentials (or a SASL message) the broker rejects. The message goes back
 * to the client in SaslAuthenticate's error message, then the connection closes.
 */
export class SaslAuthenticationError extends Error {
  override readonly name = 'SaslAuthenticationError';
}
