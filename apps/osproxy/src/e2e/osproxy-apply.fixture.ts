// Spawns the built binary as `osproxy apply` (the async-write applier) with its
// own admin port, and reads a Kafka topic from its beginning as a consumer would.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from '@flusso/net-kit';
import { Kafka, logLevel } from 'kafkajs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', '..', 'bin', 'osproxy.js');

export interface RunningApplier {
  readonly adminUrl: string;
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

export async function startApplier(env: Record<string, string>): Promise<RunningApplier> {
  const adminPort = await freePort();
  let err = '';
  const proc = spawn(process.execPath, [bin, 'apply'], {
    env: {
      PATH: process.env.PATH ?? '',
      OSPROXY_APPLY_ADMIN_BIND: `127.0.0.1:${adminPort}`,
      OSPROXY_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await waitForPort(adminPort, {
    what: `osproxy apply (${err})`,
    timeoutMs: 10_000,
    gaveUp: () => proc.exitCode !== null,
  });
  return {
    adminUrl: `http://127.0.0.1:${adminPort}`,
    proc,
    exited,
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

export interface TopicRecord {
  readonly key: string | undefined;
  readonly value: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads `topic` from its beginning (a fresh group) until `enough` holds for what
 * was read, or fails after `timeoutMs`.
 */
export async function readTopicUntil(
  brokers: readonly string[],
  topic: string,
  enough: (records: readonly TopicRecord[]) => boolean,
  timeoutMs = 20_000,
): Promise<TopicRecord[]> {
  const kafka = new Kafka({
    clientId: 'apply-e2e-reader',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, heartbeatInterval: 500 });
  const seen: TopicRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${topic}: ${seen.length} records, not enough`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push({
            key: message.key?.toString(),
            value: message.value?.toString() ?? '',
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]),
            ),
          });
          if (enough(seen)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}
