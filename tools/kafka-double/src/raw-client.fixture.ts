// A bare Kafka protocol client for tests that must control the exact bytes
// (retried produce with the same sequence, garbage frames).
import { connect, type Socket } from 'node:net';
import { Reader, Writer } from './protocol/primitives.js';

export class RawKafkaClient {
  readonly #socket: Socket;
  readonly #waiting = new Map<number, (r: Reader) => void>();
  #correlationId = 0;
  #pending = Buffer.alloc(0);

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      while (this.#pending.length >= 4 && this.#pending.length >= 4 + this.#pending.readInt32BE(0)) {
        const size = this.#pending.readInt32BE(0);
        const r = new Reader(this.#pending.subarray(4, 4 + size));
        this.#pending = this.#pending.subarray(4 + size);
        const id = r.int32();
        this.#waiting.get(id)?.(r);
        this.#waiting.delete(id);
      }
    });
  }

  static connect(broker: string): Promise<RawKafkaClient> {
    const [host, port] = broker.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), host ?? '127.0.0.1', () => resolve(new RawKafkaClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one request and resolves with a reader positioned at the response body. */
  request(apiKey: number, apiVersion: number, body: Buffer): Promise<Reader> {
    const id = ++this.#correlationId;
    const payload = new Writer()
      .int16(apiKey)
      .int16(apiVersion)
      .int32(id)
      .string('raw-test')
      .raw(body)
      .toBuffer();
    return new Promise((resolve, reject) => {
      // The broker may have closed it already (after a failed authentication, say).
      if (this.#socket.destroyed) {
        reject(new Error('connection closed'));
        return;
      }
      this.#waiting.set(id, resolve);
      this.#socket.once('close', () => reject(new Error('connection closed')));
      this.#socket.write(new Writer().int32(payload.length).raw(payload).toBuffer());
    });
  }

  close(): void {
    this.#socket.destroy();
  }
}

/** Metadata v5 until the partition has a leader (a real broker may need a moment after auto-creation). */
export async function leaderOf(bootstrap: string, topic: string, partition: number): Promise<string> {
  const client = await RawKafkaClient.connect(bootstrap);
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      const body = new Writer()
        .array([topic], (w, t) => w.string(t))
        .boolean(true)
        .toBuffer();
      const r = await client.request(3, 5, body);
      r.int32();
      const brokers = r.array((b) => {
        const node = { id: b.int32(), host: b.string(), port: b.int32() };
        b.nullableString();
        return node;
      });
      r.nullableString();
      r.int32();
      const topics = r.array((t) => ({
        error: t.int16(),
        name: t.string(),
        internal: t.boolean(),
        partitions: t.array((p) => {
          const out = { error: p.int16(), id: p.int32(), leader: p.int32() };
          p.array((x) => x.int32());
          p.array((x) => x.int32());
          p.array((x) => x.int32());
          return out;
        }),
      }));
      const leader = topics[0]?.partitions.find((p) => p.id === partition && p.error === 0)?.leader;
      const node = brokers.find((b) => b.id === leader);
      if (topics[0]?.error === 0 && node !== undefined) return `${node.host}:${node.port}`;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`no leader for ${topic}/${partition}`);
  } finally {
    client.close();
  }
}

export function produceV3(topic: string, partition: number, records: Buffer, acks = -1): Buffer {
  return new Writer()
    .string(null)
    .int16(acks)
    .int32(5_000)
    .array([topic], (w, t) => w.string(t).array([partition], (w, p) => w.int32(p).bytes(records)))
    .toBuffer();
}

export function readProduceV3(r: Reader): { errorCode: number; baseOffset: bigint } {
  r.int32(); // topics
  r.string();
  r.int32(); // partitions
  r.int32();
  return { errorCode: r.int16(), baseOffset: r.int64() };
}
