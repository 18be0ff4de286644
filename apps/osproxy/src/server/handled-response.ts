// What the handler gives the response writer: status, headers and a body that is
// bytes or a stream relayed as it arrives (passthrough).
export interface HandledResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array | AsyncIterable<Uint8Array> | null;
}
