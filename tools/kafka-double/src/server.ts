// The broker double: a TCP (or TLS) server on loopback speaking the Kafka
// protocol as one broker (node 0) that leads every partition. Requests on one
// connection are answered in order, as Kafka does. A frame that cannot be
// parsed, an unknown API key, an unsupported version or (with SASL) a request
// before authentication closes that connection only.
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { GroupCoordinator } from './group/coordinator.js';
import type { Api, BrokerContext, ConnectionContext, Faults } from './handlers/context.js';
import { apis, saslApis } from './handlers/index.js';
import { LogStore, type StoredRecord } from './log-store.js';
import { FrameSplitter, readRequestHeader, responseFrame } from './protocol/frame.js';
import { Reader } from './protocol/primitives.js';
import { type KafkaDoubleSaslOptions, resolveSasl, type SaslConfig } from './sasl/config.js';
import { SaslSession } from './sasl/session.js';

/** PEM certificate chain and private key the broker presents (SSL listener). */
export interface KafkaDoubleTlsOptions {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

export interface KafkaDoubleOptions {
  /** Port to listen on; 0 or absent picks a free one. */
  readonly port?: number;
  readonly host?: string;
  /** Partitions of an auto-created topic. Default 1. */
  readonly partitions?: number;
  /** Create topics on Metadata when the client allows it. Default true. */
  readonly autoCreateTopics?: boolean;
  /** Serve over TLS instead of plain TCP (clients pass the CA in `ssl`). */
  readonly tls?: KafkaDoubleTlsOptions;
  /** Require SASL authentication on every connection (SASL_PLAINTEXT, or SASL_SSL with `tls`). */
  readonly sasl?: KafkaDoubleSaslOptions;
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
  /**
   * The next `count` Produce requests (acks 1 or -1) are stored, then their
   * connection is dropped before the answer: an ack lost on the way back.
   */
  loseProduceAcks(count?: number): void;
  /** Answer every Fetch partition with this Kafka error code (null: stop), e.g. an ACL that went away. */
  failFetch(errorCode: number | null): void;
  /** While on, every connection is closed as soon as it opens (a broker that is down). */
  refuse(on: boolean): void;
  /** Client connections currently open (to see that a client let go). */
  openConnections(): number;
  close(): Promise<void>;
}

const apiVersionsKey = 18;

/** One client connection: its socket, SASL state, and whether it closes after this response. */
interface Connection extends ConnectionContext {
  readonly socket: Socket;
  closing: boolean;
}

export async function startKafkaDouble(options: KafkaDoubleOptions = {}): Promise<KafkaDouble> {
  const host = options.host ?? '127.0.0.1';
  const store = new LogStore();
  const groups = new GroupCoordinator();
  const faults: Faults = { produceError: null, lostProduceAcks: 0, fetchError: null };
  const sockets = new Set<Socket>();
  const sasl: SaslConfig | null = options.sasl === undefined ? null : resolveSasl(options.sasl);
  const served = sasl === null ? apis : [...apis, ...saslApis];
  const byKey = new Map<number, Api>(served.map((a) => [a.apiKey, a]));
  let refusing = false;
  let closed = false;

  const server: Server =
    options.tls === undefined
      ? createServer()
      : createTlsServer({ cert: options.tls.cert, key: options.tls.key });
  // Every TCP connection is admitted (or refused) here, before any TLS handshake;
  // requests are read from the plain socket, or from the TLS socket once secure.
  server.on('connection', (socket: Socket) => {
    if (refusing || closed) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  });
  server.on(options.tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) => {
    if (socket.destroyed) return;
    socket.on('error', () => socket.destroy());
    serve(socket);
  });
  // A client that does not speak TLS fails the handshake; the socket is already gone.
  server.on('tlsClientError', () => {});

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
    apis: served.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion })),
    closed: () => closed,
  };

  function serve(socket: Socket): void {
    const splitter = new FrameSplitter();
    const connection: Connection = {
      socket,
      sasl: sasl === null ? null : new SaslSession(sasl),
      clientHost: `/${socket.remoteAddress ?? host}`,
      closing: false,
      closeAfterResponse: () => {
        connection.closing = true;
      },
      drop: () => socket.destroy(),
    };
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = splitter.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) chain = chain.then(() => answer(connection, frame));
    });
  }

  async function answer(connection: Connection, frame: Buffer): Promise<void> {
    const { socket } = connection;
    if (socket.destroyed || connection.closing) return;
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
      // An unauthenticated client may only negotiate; a real broker drops it otherwise.
      if (connection.sasl !== null && !connection.sasl.allows(header.apiKey)) {
        socket.destroy();
        return;
      }
      const body = await api.handle(r, header, ctx, connection);
      if (socket.destroyed) return;
      if (body !== null) socket.write(responseFrame(header.correlationId, body));
      if (connection.closing) socket.end();
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
    failFetch: (errorCode) => {
      faults.fetchError = errorCode;
    },
    loseProduceAcks: (count = 1) => {
      faults.lostProduceAcks = count;
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
