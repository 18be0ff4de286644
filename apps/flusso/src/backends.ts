// The composition root's Backends: the only place that names concrete backends
// (Postgres capture and builder, OpenSearch and stdout sinks).
import { readFileSync } from 'node:fs';
import type { ChangeCapture, DocumentBuilder, Sink } from '@flusso/core';
import { FlussoError, parseIndexName } from '@flusso/core';
import {
  type Backends,
  type CaptureSettings,
  DEFAULT_DEAD_LETTER_TOPIC,
  type DeadLetterBook,
  type Env,
  type FlussoLock,
  mappingOptions,
  type ReindexJournal,
  resolveSourceUrl,
  resolveValue,
  type SinkConfig,
  sinkVariable,
} from '@flusso/daemon';
import { OpenSearchSink, type OpenSearchSinkOptions, OsproxyLayoutSink } from '@flusso/sinks/opensearch';

export type SinkGuards = Pick<OpenSearchSinkOptions, 'writeAliases' | 'gcDeletes' | 'onGenerationGone'>;

import { StdoutSink } from '@flusso/sinks/stdout';
import {
  changeColumns,
  PgChangeCapture,
  PgDocumentBuilder,
  sourceSessionOptions,
  verifyKeys,
} from '@flusso/sources';
import pg from 'pg';
import type { Logger } from 'pino';
import { PgDeadLetterBook } from './dead-letters/pg-dead-letter-book.js';
import { osproxyLayoutOptions } from './osproxy-sink-options.js';
import { PgReindexJournal } from './reindex/pg-reindex-journal.js';

export class ConcreteBackends implements Backends {
  private readonly pools: pg.Pool[] = [];

  constructor(
    private readonly env: Env,
    private readonly log: Logger,
  ) {}

  async capture(lock: FlussoLock, settings: CaptureSettings): Promise<ChangeCapture> {
    return new PgChangeCapture({
      url: resolveSourceUrl(lock.config.source, this.env),
      ...settings,
      // Documents are rebuilt from current rows: a change is read only for the columns that
      // resolve it to documents (its other values are stepped over while decoding).
      changeColumns: () => changeColumns(lock.indexes.filter((i) => i.enabled).map((i) => i.schema)),
    });
  }

  async builder(lock: FlussoLock): Promise<DocumentBuilder> {
    // A new builder means a new pipeline attempt: the previous attempt's pool is done.
    await this.close();
    // Timestamps render with an explicit zone; a small pool serves the build queries.
    const pool = new pg.Pool({
      connectionString: resolveSourceUrl(lock.config.source, this.env),
      options: sourceSessionOptions,
      max: 4,
      // Kept open while idle: a connection opened again after a quiet spell pays a backend
      // start, the build query's preparation and cold catalog caches on the first batches.
      idleTimeoutMillis: 0,
    });
    pool.on('error', (error) => this.log.warn({ err: error.message }, 'postgres pool connection error'));
    this.pools.push(pool);
    const indexes = lock.indexes
      .filter((i) => i.enabled)
      .map((i) => ({ name: parseIndexName(i.name), schema: i.schema }));
    // A declared key that does not identify one row would merge rows: refuse to start.
    await verifyKeys(pool, indexes);
    return new PgDocumentBuilder({
      db: pool,
      // Build queries are prepared once per pooled connection.
      named: pool,
      indexes,
      mapping: mappingOptions(lock.config),
      onValueNotes: (index, counts) =>
        this.log.warn(
          { index, ...counts },
          'values sent as null by rule: NaN/Infinity numbers, infinity dates (see the type table)',
        ),
    });
  }

  /** `guards`: Kafka mode's generation write aliases and tombstone window (OpenSearch sinks with generations). */
  async sink(name: string, config: SinkConfig, lock: FlussoLock, guards: SinkGuards = {}): Promise<Sink> {
    if (config.type === 'stdout') return new StdoutSink({ name, pretty: config.pretty });
    const url = resolveValue(config.url, sinkVariable(name, 'URL'), this.env, `sinks.${name}.url`);
    if (!url)
      throw new FlussoError(
        'config_invalid',
        `sinks.${name}.url: not set in the config and ${sinkVariable(name, 'URL')} is not set`,
      );
    const username = resolveValue(
      config.username,
      sinkVariable(name, 'USERNAME'),
      this.env,
      `sinks.${name}.username`,
    );
    const password = resolveValue(
      config.password,
      sinkVariable(name, 'PASSWORD'),
      this.env,
      `sinks.${name}.password`,
    );
    // What both layouts take; each adds its own below.
    const common = {
      name,
      url,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
      prefix: lock.config.prefix,
      batchSize: config.batch_size,
      maxBytes: config.max_bytes,
      timeoutMs: config.timeout_secs * 1000,
      maxRetries: config.max_retries,
      numberOfShards: config.number_of_shards,
      numberOfReplicas: config.number_of_replicas,
      tlsVerify: config.tls_verify,
      ...(config.ca_file ? { ca: readFileSync(config.ca_file, 'utf8') } : {}),
    };
    if (config.layout === 'osproxy')
      return new OsproxyLayoutSink({ ...common, layout: osproxyLayoutOptions(config) });
    return new OpenSearchSink({
      ...common,
      refreshInterval: config.refresh_interval,
      ...(config.pipeline ? { pipeline: config.pipeline } : {}),
      ...guards,
    });
  }

  async deadLetters(lock: FlussoLock): Promise<DeadLetterBook> {
    const config = lock.config.dead_letters;
    if (config.type === 'kafka') {
      // kafkajs loads only when dead letters go to Kafka.
      const { KafkaDeadLetterBook } = await import('./dead-letters/kafka-dead-letter-book.js');
      return new KafkaDeadLetterBook({
        brokers: config.brokers ?? [],
        topic: config.topic ?? DEFAULT_DEAD_LETTER_TOPIC,
        keepDocuments: config.keep_documents,
      });
    }
    return PgDeadLetterBook.open({
      url: resolveSourceUrl(lock.config.source, this.env),
      keepDocuments: lock.config.dead_letters.keep_documents,
    });
  }

  /** Requested reindexes, kept in the source database until swapped in (see reindex/). */
  async reindexJournal(lock: FlussoLock, settings: CaptureSettings): Promise<ReindexJournal> {
    const pool = new pg.Pool({ connectionString: resolveSourceUrl(lock.config.source, this.env), max: 1 });
    pool.on('error', (error) => this.log.warn({ err: error.message }, 'postgres pool connection error'));
    return new PgReindexJournal(pool, settings.slot, this.log);
  }

  async close(): Promise<void> {
    for (const pool of this.pools.splice(0)) await pool.end().catch(() => undefined);
  }
}
