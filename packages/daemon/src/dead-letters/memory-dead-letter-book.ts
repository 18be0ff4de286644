// A DeadLetterBook double for the daemon's tests: letters in memory, keyed like
// the Postgres table by (sink, index, id), with the attempts it counts.
import type { DeadLetter } from '@flusso/engine';
import type {
  DeadLetterBook,
  DeadLetterCount,
  DeadLetterFilter,
  StoredDeadLetter,
} from './dead-letter-book.js';

const keyOf = (l: Pick<DeadLetter, 'sink' | 'index' | 'id'>) => `${l.sink}/${l.index}/${l.id}`;

function matches(l: StoredDeadLetter, f: DeadLetterFilter): boolean {
  return (
    (f.index === undefined || l.index === f.index) &&
    (f.sink === undefined || l.sink === f.sink) &&
    (f.id === undefined || l.id === f.id) &&
    (f.since === undefined || l.at >= f.since)
  );
}

export class MemoryDeadLetterBook implements DeadLetterBook {
  readonly letters = new Map<string, StoredDeadLetter>();

  async record(letters: readonly DeadLetter[]): Promise<void> {
    for (const l of letters) {
      const attempts = (this.letters.get(keyOf(l))?.attempts ?? 0) + 1;
      this.letters.set(keyOf(l), { ...l, attempts });
    }
  }

  async list(filter: DeadLetterFilter): Promise<readonly StoredDeadLetter[]> {
    return [...this.letters.values()].filter((l) => matches(l, filter)).sort((a, b) => a.at - b.at);
  }

  async remove(keys: readonly Pick<DeadLetter, 'sink' | 'index' | 'id'>[]): Promise<number> {
    return keys.filter((k) => this.letters.delete(keyOf(k))).length;
  }

  async purge(filter: DeadLetterFilter): Promise<number> {
    return this.remove(await this.list(filter));
  }

  async counts(): Promise<readonly DeadLetterCount[]> {
    const counts = new Map<string, DeadLetterCount>();
    for (const l of this.letters.values()) {
      const k = `${l.sink}/${l.index}`;
      counts.set(k, { sink: l.sink, index: l.index, count: (counts.get(k)?.count ?? 0) + 1 });
    }
    return [...counts.values()];
  }

  async close(): Promise<void> {}
}
