// Which client headers are relayed upstream: never hop-by-hop or framing
// headers, never the proxy's own tenant header, never a configured deny list.

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
  'traceparent',
  'tracestate',
  'b3',
  'x-tenant',
]);

export function forwardHeaders(
  headers: Readonly<Record<string, string>>,
  deny: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && !deny.has(lower)) out[lower] = value;
  }
  return out;
}
