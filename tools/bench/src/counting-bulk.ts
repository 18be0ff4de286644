// The endpoint flusso's figures are measured against, as quality.md asks: a bulk
// endpoint that only counts. It answers `_bulk` itself (every item a success),
// noting when each document arrived, and relays everything else (indexes,
// aliases, settings, refresh) to the emulator behind it, so flusso sees the
// answers OpenSearch would give while the machine spends nothing on indexing.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type DeliveryListener = (id: string, source: Record<string, unknown>, at: number) => void;

const WRITE_OPS = new Set(['index', 'create', 'update']);

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class CountingBulkEndpoint {
  private readonly listeners = new Set<DeliveryListener>();
  private readonly ids = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(upstream: string): Promise<CountingBulkEndpoint> {
    const target = new URL(upstream);
    let self: CountingBulkEndpoint | undefined;
    const server = createServer((req, res) => {
      if (/\/_bulk$/.test((req.url ?? '').split('?')[0] ?? '')) {
        // A body it cannot read is a bench bug: fail that request loudly, not the process.
        self?.bulk(req, res).catch((error: unknown) => {
          console.error('counting bulk endpoint:', error);
          res.destroy();
        });
      } else relay(target, req, res);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new CountingBulkEndpoint(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** Call `listener` for every document written; returns the unsubscribe. */
  listen(listener: DeliveryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** When `id` arrives with `fullName === value`: a probe returning the time, or undefined. */
  expect(id: string, value: string): () => number | undefined {
    let at: number | undefined;
    const stop = this.listen((docId, source, t) => {
      if (docId === id && source.fullName === value) {
        at = t;
        stop();
      }
    });
    return () => at;
  }

  /** Distinct documents delivered and not deleted since. */
  count(): number {
    return this.ids.size;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async bulk(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const lines = (await readAll(req)).toString('utf8').split('\n');
    const at = performance.now();
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (!line) continue;
      const action = JSON.parse(line) as Record<string, { _index?: string; _id?: string }>;
      const [op, meta] = Object.entries(action)[0] ?? [];
      if (op === undefined || meta === undefined) continue;
      const id = meta._id ?? '';
      if (WRITE_OPS.has(op)) {
        const source = JSON.parse(lines[++i] ?? '{}') as Record<string, unknown>;
        this.ids.add(id);
        for (const listener of this.listeners) listener(id, op === 'update' ? {} : source, at);
      } else {
        this.ids.delete(id);
      }
      items.push({ [op]: { _index: meta._index, _id: id, status: 200, result: 'updated', _version: 1 } });
    }
    const body = JSON.stringify({ took: 0, errors: false, items });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
}

function relay(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}
