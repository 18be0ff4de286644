// The moment a document lands in the emulator, seen from inside it: wrapping
// Store.put gives an exact "delivered" time without polling or re-parsing bulk bodies.
import type { Store } from '@flusso/opensearch-emulator';

export type PutListener = (id: string, source: Record<string, unknown>, at: number) => void;

export class DocTap {
  private readonly listeners = new Set<PutListener>();

  constructor(private readonly store: Store) {
    const put = store.put.bind(store);
    store.put = (...args: Parameters<Store['put']>) => {
      const out = put(...args);
      const at = performance.now();
      for (const listener of this.listeners) listener(args[1], args[2], at);
      return out;
    };
  }

  /** Call `listener` for every stored document; returns the unsubscribe. */
  listen(listener: PutListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** When `id` is stored with `fullName === value`: a probe returning the time, or undefined. */
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

  /** Documents in every index (flusso writes one generation index per schema). */
  count(): number {
    let n = 0;
    for (const index of this.store.indexes.values()) n += index.docs.size;
    return n;
  }
}
