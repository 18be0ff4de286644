import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config/load-settings.js';
import { applyTopicsOf } from './start-applier.js';

describe('osproxy apply settings', () => {
  it('default the group, the admin port and the topics after kafka_topic', () => {
    const settings = loadSettings([], { OSPROXY_KAFKA_TOPIC: 'writes' });
    expect(settings).toMatchObject({ apply_group: 'osproxy-apply', apply_admin_bind: '127.0.0.1:9092' });
    expect(applyTopicsOf(settings)).toEqual({
      outcomes: 'writes-outcomes',
      deadLetters: 'writes-dead-letters',
    });
  });

  it('take OSPROXY_APPLY_* and flags over the defaults', () => {
    const settings = loadSettings(['--apply-dead-letter-topic', 'dlq'], {
      OSPROXY_APPLY_GROUP: 'g',
      OSPROXY_APPLY_OUTCOME_TOPIC: 'out',
    });
    expect(settings.apply_group).toBe('g');
    expect(applyTopicsOf(settings)).toEqual({ outcomes: 'out', deadLetters: 'dlq' });
  });
});
