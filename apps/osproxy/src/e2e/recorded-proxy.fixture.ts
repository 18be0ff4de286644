// The stack most osproxy e2e files start once: the emulator as the cluster, a
// recording relay in front of it (the exact bytes osproxy sent), and the built
// osproxy binary pointed at the relay.
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { type RunningProxy, startProxy } from './osproxy-process.fixture.js';
import { type RecordingUpstream, startRecordingUpstream } from './recording-upstream.fixture.js';

export interface RecordedProxy {
  readonly emulator: Emulator;
  readonly recorder: RecordingUpstream;
  readonly proxy: RunningProxy;
  /** Stops the proxy, then the relay, then the emulator. */
  close(): Promise<void>;
}

/** Starts the stack; `env` is osproxy's settings (its upstream is the relay). */
export async function startRecordedProxy(env: Record<string, string>): Promise<RecordedProxy> {
  const emulator = await startEmulator({ autoRefresh: false });
  const recorder = await startRecordingUpstream(emulator.url);
  let proxy: RunningProxy;
  try {
    proxy = await startProxy({ OSPROXY_UPSTREAM: recorder.url, ...env });
  } catch (error) {
    await recorder.close();
    await emulator.close();
    throw error;
  }
  return {
    emulator,
    recorder,
    proxy,
    close: async () => {
      await proxy.stop();
      await recorder.close();
      await emulator.close();
    },
  };
}
