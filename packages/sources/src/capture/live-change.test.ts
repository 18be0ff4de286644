import type { Lsn } from '@flusso/core';
import { usersTable } from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { CommitTracker } from '../replication/commit-tracker.js';
import { LiveChange } from './live-change.js';

const event = { kind: 'truncate' as const, tables: [usersTable] };

describe('LiveChange', () => {
  it('confirms its commit once every change is acked, however often each is acked', () => {
    const tracker = new CommitTracker(0n as Lsn);
    const target = { acked: (txn: Parameters<CommitTracker['ackOne']>[0]) => tracker.ackOne(txn) };
    const a = new LiveChange(event, 100n as Lsn, undefined, tracker.register(1), target);
    const b = new LiveChange(event, 100n as Lsn, undefined, tracker.register(1), target);
    tracker.commit(1, 100n);
    a.ack();
    a.ack();
    expect(tracker.confirmed).toBe(0n);
    b.ack();
    expect(tracker.confirmed).toBe(100n);
  });

  it('is a no-op once its transaction aborted', () => {
    const tracker = new CommitTracker(0n as Lsn);
    const target = { acked: (txn: Parameters<CommitTracker['ackOne']>[0]) => tracker.ackOne(txn) };
    const streamed = new LiveChange(event, 0n as Lsn, true, tracker.register(7), target);
    tracker.abort(7);
    streamed.ack();
    expect(tracker.idle).toBe(true);
    expect(streamed.streamed).toBe(true);
  });
});
