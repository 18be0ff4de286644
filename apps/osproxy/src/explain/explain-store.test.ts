import type { ExplainRecord } from '@flusso/proxy';
import { describe, expect, it } from 'vitest';
import { ExplainStore } from './explain-store.js';

const record: ExplainRecord = {
  requestId: 'r1',
  endpointKind: 'Search',
  status: 200,
  partition: 'acme',
  placementMode: 'SharedIndex',
  cluster: 'default',
  physicalIndex: 'osproxy-shared',
  upstreamCalls: 1,
};

describe('ExplainStore', () => {
  it('shows a principal its own request without physical names', () => {
    const store = new ExplainStore();
    store.attribute('r1', { principal: 'app1', tenant: 'acme', correlationId: 'c-7' });
    store.onExplain(record);
    const seen = store.forPrincipal('r1', 'app1', 'acme');
    expect(seen).toEqual({
      requestId: 'r1',
      endpointKind: 'Search',
      status: 200,
      partition: 'acme',
      placementMode: 'SharedIndex',
      upstreamCalls: 1,
      correlationId: 'c-7',
    });
    expect(JSON.stringify(seen)).not.toContain('osproxy-shared');
  });

  it('hides a request from any other principal, and shows operators the whole record', () => {
    const store = new ExplainStore();
    store.attribute('r1', { principal: 'app1', tenant: 'acme' });
    store.onExplain(record);
    expect(store.forPrincipal('r1', 'app2', 'globex')).toBeUndefined();
    expect(store.forPrincipal('r1', 'app1', undefined)).toBeUndefined();
    expect(store.forOperator('r1')).toMatchObject({ physicalIndex: 'osproxy-shared', principal: 'app1' });
  });

  it('keeps only the newest records up to its capacity', () => {
    const store = new ExplainStore(2);
    for (const id of ['a', 'b', 'c']) store.onExplain({ ...record, requestId: id });
    expect(store.forOperator('a')).toBeUndefined();
    expect(store.forOperator('c')).toBeDefined();
  });
});
