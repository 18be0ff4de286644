// The broker double: a TCP server on loopback speaking the Kafka protocol as
// one broker (node 0) that leads every partition. Requests on one connection
// are answered in order, as Kafka does. A frame that cannot be parsed, an
// unknown API key or an unsupported version closes that connection only.
import { createServer, type Socket } from 'node:net';
import { GroupCoordinator } from './group-coordinator.js';
import type { Api, BrokerContext, Faults } from './handlers/context.js';
import { apis } from './handlers/index.js';
import { LogStore, type StoredRecord } from './log-store.js';
import { FrameSplitter, readRequestHeader, responseFrame } from './protocol/frame.js';
import { Reader } from './protocol/primitives.js';

export interface KafkaDoubleOptions {
  /** Port to listen on; 0 or absent picks a free one. */
  readonly port?: number;
  readonly host?: string;
  /** Partitions of an auto-created topic. Default 1. */
  readonly partitions?: number;
  /** Create topics on Metadata when the client allows it. Default true. */
  readonly autoCreateTopics?: boolean;
}

export interface KafkaDouble {
  /** `host:port` of the broker, as a client's `brokers` list. */
  readonly brokers: string[];
  readonly host: string;
  readonly port: number;
  /** Every stored record of a topic, by partition then offset. */
  records(topic: string): StoredRecord[];
  createTopic(name: string, partitions?: number): void;
  /** Answer every Produce partition with this Kafka error code (null: stop). */
  failProduce(errorCode: number | null): void;
  /** While on, every connection is closed as soon as it opens (a broker that is down). */
  refuse(on: boolean): void;
  /** Client connections currently open (to see that a client let go). */
  openConnections(): number;
  close(): Promise<void>;
}

const apiVersionsKey = 18;

export async function startKafkaDouble(options: KafkaDoubleOptions = {}): Promise<KafkaDouble> {
  const host = options.host ?? '127.0.0.1';
  const store = new LogStore();
  const groups = new GroupCoordinator();
  const faults: Faults = { produceError: null };
  const sockets = new Set<Socket>();
  const byKey = new Map<number, Api>(apis.map((a) => [a.apiKey, a]));
  let refusing = false;
  let closed = false;

  const server = createServer((socket) => {
    if (refusing || closed) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    serve(socket);
  });

  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await listening;
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  const ctx: BrokerContext = {
    store,
    groups,
    faults,
    broker: { nodeId: 0, host, port },
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions: options.partitions ?? 1,
    clusterId: 'kafka-double',
    apis: apis.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion })),
    closed: () => closed,
  };

  function serve(socket: Socket): void {
    const splitter = new FrameSplitter();
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = splitter.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) chain = chain.then(() => answer(socket, frame));
    });
  }

  async function answer(socket: Socket, frame: Buffer): Promise<void> {
    if (socket.destroyed) return;
    try {
      const r = new Reader(frame);
      const header = readRequestHeader(r);
      const api = byKey.get(header.apiKey);
      const supported =
        api !== undefined && header.apiVersion >= api.minVersion && header.apiVersion <= api.maxVersion;
      // ApiVersions answers an unsupported version itself; anything else unknown closes.
      if (api === undefined || (!supported && header.apiKey !== apiVersionsKey)) {
        socket.destroy();
        return;
      }
      const body = await api.handle(r, header, ctx);
      if (body !== null && !socket.destroyed) socket.write(responseFrame(header.correlationId, body));
    } catch {
      socket.destroy();
    }
  }

  return {
    brokers: [`${host}:${port}`],
    host,
    port,
    records: (topic) => store.records(topic),
    createTopic: (name, partitions) => {
      store.createTopic(name, partitions ?? ctx.defaultPartitions);
    },
    failProduce: (errorCode) => {
      faults.produceError = errorCode;
    },
    refuse: (on) => {
      refusing = on;
      if (on) for (const s of sockets) s.destroy();
    },
    openConnections: () => sockets.size,
    close: async () => {
      if (closed) return;
      closed = true;
      store.wakeAll();
      groups.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
