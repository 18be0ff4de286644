// A temporary file holding batches of records for one streamed transaction, so
// a transaction larger than memory can be held until its commit. Batches are
// length-prefixed v8 serializations (bigints, bytes, NaN and nesting survive
// unchanged); the file is read back once, in order, then removed.

import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

export class SpillFile<T> {
  private size = 0;

  private constructor(
    private readonly dir: string,
    private readonly file: FileHandle,
  ) {}

  static async create<T>(): Promise<SpillFile<T>> {
    const dir = await mkdtemp(join(tmpdir(), 'flusso-stream-'));
    return new SpillFile<T>(dir, await open(join(dir, 'held'), 'w+'));
  }

  async append(batch: readonly T[]): Promise<void> {
    const body = serialize(batch);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    await this.file.write(Buffer.concat([head, body]), 0, 4 + body.length, this.size);
    this.size += 4 + body.length;
  }

  /** Every batch, in the order appended. */
  async *batches(): AsyncIterable<T[]> {
    let at = 0;
    const head = Buffer.alloc(4);
    while (at < this.size) {
      await this.file.read(head, 0, 4, at);
      const length = head.readUInt32BE(0);
      const body = Buffer.alloc(length);
      await this.file.read(body, 0, length, at + 4);
      at += 4 + length;
      yield deserialize(body) as T[];
    }
  }

  async remove(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
