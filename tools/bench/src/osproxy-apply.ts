// Async writes end to end: N writes accepted by osproxy (202 once Kafka acked),
// then `osproxy apply` applying them to the emulator through _bulk, beside the
// same N writes sent synchronously through osproxy (the peer: one write, one
// round trip to the cluster). Prints writes/s for each and apply/sync.
import { startKafkaDouble } from '@flusso/kafka-double';
import { drive, type LoadRequest } from './load.js';
import { spawnEmulator, spawnOsproxy, spawnOsproxyApply } from './osproxy-process.js';
import { type Line, ratio, report } from './report.js';
import { until } from './until.js';

const TOPIC = 'bench-writes';

const put = (mode: 'sync' | 'async', index: string, i: number): LoadRequest => ({
  method: 'PUT',
  path: `/${index}/_doc/${i}`,
  headers: { 'content-type': 'application/json', 'x-write-mode': mode },
  body: `{"tenant_id":"t${i % 8}","n":${i},"msg":"x"}`,
});

async function appliedOps(adminUrl: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('osproxy_apply_ops_total{'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

export async function osproxyApplyBench(writes: number, concurrency = 16): Promise<void> {
  const kafka = await startKafkaDouble();
  const emulator = await spawnEmulator();
  const proxy = await spawnOsproxy(emulator.url, {
    OSPROXY_KAFKA_BROKERS: kafka.brokers.join(','),
    OSPROXY_KAFKA_TOPIC: TOPIC,
  });
  try {
    const sync = await drive(proxy.url, writes, concurrency, (i) => put('sync', 'orders-sync', i));
    const accepted = await drive(proxy.url, writes, concurrency, (i) => put('async', 'orders-async', i));
    if (sync.failures + accepted.failures > 0) throw new Error('osproxy-apply: some writes failed');
    const applier = await spawnOsproxyApply(emulator.url, { brokers: kafka.brokers, topic: TOPIC });
    try {
      // From the first applied batch (group join and start excluded) to the last.
      const first = await until('the first applied batch', async () => {
        const n = await appliedOps(applier.url);
        return n > 0 ? { n, at: performance.now() } : undefined;
      });
      await until('every write applied', async () =>
        (await appliedOps(applier.url)) >= writes ? true : undefined,
      );
      const seconds = (performance.now() - first.at) / 1000;
      const applyRate = (writes - first.n) / seconds;
      const lines: Line[] = [
        ['sync writes through osproxy', writes / sync.seconds, 'writes/s'],
        ['async writes accepted (202)', writes / accepted.seconds, 'writes/s'],
        ['osproxy apply', applyRate, 'writes/s'],
        ['apply/sync', ratio(applyRate, writes / sync.seconds), ''],
      ];
      report('osproxy-apply', { writes, concurrency }, lines);
    } finally {
      await applier.stop();
    }
  } finally {
    await proxy.stop();
    await emulator.stop();
    await kafka.close();
  }
}
