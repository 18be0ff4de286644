// A test double for the proxy's Upstream: every op is dispatched in-process to
// the OpenSearch emulator's store (the same code that serves its HTTP API), and
// recorded, so tests read back what a cluster would hold and can prove that a
// refused request reached no cluster.
import { parseClusterId } from '@flusso/core';
import { dispatch, Faults, Store } from '@flusso/opensearch-emulator';
import type {
  ForwardOp,
  StreamedUpstreamResponse,
  Upstream,
  UpstreamOp,
  UpstreamResponse,
} from '@flusso/sinks';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class EmulatorUpstream implements Upstream {
  /** One emulated cluster per cluster id. */
  readonly clusters = new Map<string, Store>();
  readonly ops: UpstreamOp[] = [];
  readonly #faults = new Faults();

  constructor(clusterIds: readonly string[] = ['default']) {
    for (const id of clusterIds) this.clusters.set(parseClusterId(id), new Store());
  }

  store(cluster = 'default'): Store {
    const store = this.clusters.get(cluster);
    if (store === undefined) throw new Error(`no emulated cluster ${cluster}`);
    return store;
  }

  #send(op: UpstreamOp): Promise<UpstreamResponse> {
    this.ops.push(op);
    const out = dispatch(this.store(op.target.cluster), this.#faults, {
      method: op.method,
      path: op.path,
      query: new URLSearchParams(op.query),
      text: op.body === null ? '' : decoder.decode(op.body),
    });
    const text = out.body === null ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
    return Promise.resolve({
      status: out.status,
      reused: this.ops.length > 1,
      headers: { 'content-type': 'application/json' },
      body: encoder.encode(text),
    });
  }

  write = (op: UpstreamOp) => this.#send(op);
  bulk = (op: UpstreamOp) => this.#send(op);
  read = (op: UpstreamOp) => this.#send(op);
  search = (op: UpstreamOp) => this.#send(op);
  cursor = (op: UpstreamOp) => this.#send(op);
  forward = (op: UpstreamOp) => this.#send(op);

  async forwardStream(op: ForwardOp, body: AsyncIterable<Uint8Array>): Promise<StreamedUpstreamResponse> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    const response = await this.#send({ ...op, body: Buffer.concat(chunks) });
    return {
      ...response,
      body: (async function* () {
        yield response.body;
      })(),
    };
  }
}
