// A DeadLetterStore double: letters kept in memory by (sink, index, id). It can
// fail the next records, or hold each record until released.
import type { DeadLetter, DeadLetterStore } from './dead-letter-store.js';

export class MemoryDeadLetterStore implements DeadLetterStore {
  readonly letters = new Map<string, DeadLetter>();
  /** Fail this many upcoming `record` calls. */
  failNext = 0;
  private gate: Promise<void> | null = null;
  private openGate: () => void = () => undefined;
  private reached: () => void = () => undefined;

  /** Hold every record until `release()`; resolves when one is waiting. */
  hold(): Promise<void> {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
    return new Promise((resolve) => (this.reached = resolve));
  }

  release(): void {
    this.gate = null;
    this.openGate();
  }

  async record(letters: readonly DeadLetter[]): Promise<void> {
    if (this.gate) {
      this.reached();
      await this.gate;
    }
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('dead-letter store unavailable');
    }
    for (const l of letters) this.letters.set(`${l.sink}/${l.index}/${l.id}`, l);
  }
}
