// An HTTP endpoint in front of the OpenSearch emulator that records every
// `_bulk` body byte for byte before forwarding, so tests compare what flusso
// sent, not what the emulator kept after parsing it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BulkWrite {
  readonly op: 'index' | 'delete';
  readonly id: string;
  /** The document line exactly as sent (index only). */
  readonly text?: string;
}

export interface RecordingEndpoint {
  readonly url: string;
  /** Every bulk item, in the order sent. */
  readonly writes: BulkWrite[];
  /** The last write per `_id`. */
  last(): Map<string, BulkWrite>;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function record(text: string, into: BulkWrite[]): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const action = JSON.parse(line) as Record<string, { _id: string }>;
    const [op] = Object.keys(action);
    const id = String(action[op ?? '']?._id);
    if (op === 'index') {
      into.push({ op, id, text: lines[i + 1] ?? '' });
      i += 1;
    } else if (op === 'delete') into.push({ op, id });
  }
}

export async function startRecordingEndpoint(target: string): Promise<RecordingEndpoint> {
  const writes: BulkWrite[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const bytes = await body(req);
      if (req.url?.includes('_bulk')) record(bytes.toString('utf8'), writes);
      const headers: Record<string, string> = {};
      const type = req.headers['content-type'];
      if (type) headers['content-type'] = type;
      const reply = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(bytes.length > 0 ? { body: bytes } : {}),
      });
      res.writeHead(reply.status, {
        'content-type': reply.headers.get('content-type') ?? 'application/json',
      });
      res.end(Buffer.from(await reply.arrayBuffer()));
    })().catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    writes,
    last: () => new Map(writes.map((w) => [w.id, w])),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
