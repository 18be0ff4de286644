// The phase a Kafka-mode process reports while one of its roles is down and after
// it runs again (both roles in one process).
import { parseIndexName } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { KafkaStatus } from './kafka-status.js';

const users = parseIndexName('users');
const group = { group: 'g', topic: 't' };

function liveAll(): KafkaStatus {
  const state = new KafkaStatus('all', [users], group);
  state.roleRunning('worker');
  state.observer.onIndexesEnsured?.(1);
  state.observer.onLiveStarted?.();
  state.roleRunning('capture');
  return state;
}

describe('KafkaStatus role health', () => {
  it('returns the phase to live once a failed worker runs again', () => {
    const state = liveAll();
    expect(state.status.phase).toBe('live');
    state.roleFailed('worker', 'sink_transient', 'the change topic consumer stopped');
    expect(state.status.phase).toBe('stopped');
    expect(state.details().roles.worker).toEqual({
      state: 'restarting',
      restarts: 1,
      last_error: 'sink_transient',
    });
    state.roleRunning('worker');
    expect(state.status.phase).toBe('live');
    expect(state.status.snapshot()).toMatchObject({
      errors: 1,
      last_error: 'the change topic consumer stopped',
    });
  });

  it('stays stopped while the worker is down, even when the capture goes live again', () => {
    const state = liveAll();
    state.roleFailed('worker', 'sink_transient', 'down');
    state.roleFailed('capture', 'source_failed', 'down');
    state.observer.onIndexesEnsured?.(1);
    state.observer.onLiveStarted?.();
    state.roleRunning('capture');
    expect(state.status.phase).toBe('stopped');
    state.roleRunning('worker');
    expect(state.status.phase).toBe('live');
  });

  it('returns to backfilling when a reindex is still running', () => {
    const state = liveAll();
    state.observer.onBackfillStarted?.(users, ['primary'], 10);
    state.roleFailed('worker', 'sink_transient', 'down');
    state.roleRunning('worker');
    expect(state.status.phase).toBe('backfilling');
    state.observer.onBackfillFinished?.(users, 10);
    expect(state.status.phase).toBe('live');
  });
});
