// An in-memory Upstream for tests of code that drives one (the proxy pipeline):
// it builds each request exactly as UndiciUpstream would (path choke point,
// headers, query) and records it, then answers with a scripted reply.
import type {
  BulkOp,
  CursorOp,
  ForwardOp,
  ReadOp,
  SearchOp,
  StreamedUpstreamResponse,
  Upstream,
  UpstreamOp,
  UpstreamResponse,
  WriteOp,
} from '../upstream/contract.js';
import { buildUpstreamRequest, type UpstreamRequest } from '../upstream/upstream-request.js';

export interface RecordedUpstreamCall {
  readonly family: Exclude<keyof Upstream, 'forwardStream'> | 'forwardStream';
  readonly op: UpstreamOp;
  /** The request line and headers UndiciUpstream would send. */
  readonly request: UpstreamRequest;
  /** The body as sent (the collected stream for `forwardStream`). */
  readonly body: Uint8Array | null;
}

export type UpstreamReplyFn = (
  op: UpstreamOp,
  body: Uint8Array | null,
) => UpstreamResponse | Promise<UpstreamResponse>;

/** A reply with a JSON body. */
export function jsonReply(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): UpstreamResponse {
  return {
    status,
    reused: true,
    headers: { 'content-type': 'application/json', ...headers },
    body: new TextEncoder().encode(JSON.stringify(value)),
  };
}

export class RecordingUpstream implements Upstream {
  readonly calls: RecordedUpstreamCall[] = [];

  constructor(private readonly reply: UpstreamReplyFn = () => jsonReply(200, {})) {}

  write(op: WriteOp): Promise<UpstreamResponse> {
    return this.record('write', op, op.body);
  }

  bulk(op: BulkOp): Promise<UpstreamResponse> {
    return this.record('bulk', op, op.body);
  }

  read(op: ReadOp): Promise<UpstreamResponse> {
    return this.record('read', op, op.body);
  }

  search(op: SearchOp): Promise<UpstreamResponse> {
    return this.record('search', op, op.body);
  }

  cursor(op: CursorOp): Promise<UpstreamResponse> {
    return this.record('cursor', op, op.body);
  }

  forward(op: ForwardOp): Promise<UpstreamResponse> {
    return this.record('forward', op, op.body);
  }

  async forwardStream(op: ForwardOp, body: AsyncIterable<Uint8Array>): Promise<StreamedUpstreamResponse> {
    const request = buildUpstreamRequest(op, true);
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    const collected = Buffer.concat(chunks);
    const res = await this.answer('forwardStream', op, request, new Uint8Array(collected));
    return {
      ...res,
      body: (async function* () {
        yield res.body;
      })(),
    };
  }

  private async record(family: RecordedUpstreamCall['family'], op: UpstreamOp, body: Uint8Array | null) {
    return this.answer(family, op, buildUpstreamRequest(op), body);
  }

  private async answer(
    family: RecordedUpstreamCall['family'],
    op: UpstreamOp,
    request: UpstreamRequest,
    body: Uint8Array | null,
  ): Promise<UpstreamResponse> {
    this.calls.push({ family, op, request, body });
    return this.reply(op, body);
  }
}
