// Notices a partition attached to or detached from a partitioned table flusso
// publishes. Neither writes a row change to the WAL, yet rows join or leave the
// table: the live stream answers with a TRUNCATE-like event for that table, and
// its indexes are rebuilt from the SQL. Checked at most once per interval.
import type { Clock, QualifiedTable, SchemaName, TableName } from '@flusso/core';

export type ReadLeaves = () => Promise<Map<string, string>>;

export class PartitionWatch {
  private known: Map<string, string> | null = null;
  private nextCheck = 0;

  constructor(
    private readonly read: ReadLeaves,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** Records the partitions as they are now (before the backfill snapshot). */
  async baseline(): Promise<void> {
    this.known = await this.read();
  }

  /** Tables whose set of partitions changed since the last look; empty when not due yet. */
  async changed(): Promise<QualifiedTable[]> {
    if (!this.known || this.known.size === 0 || this.clock.now() < this.nextCheck) return [];
    this.nextCheck = this.clock.now() + this.intervalMs;
    const now = await this.read();
    const changed = [...this.known.keys()].filter((t) => now.get(t) !== this.known?.get(t));
    this.known = now;
    return changed.map((t) => {
      const [schema, table] = t.split('.');
      return { schema: (schema ?? '') as SchemaName, table: (table ?? '') as TableName };
    });
  }
}
