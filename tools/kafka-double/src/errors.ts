// Typed errors of the double. A ProtocolError means the bytes a client sent cannot
// be a valid request; the server answers it by closing that connection.

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}
