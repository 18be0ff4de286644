import { describe, expect, it } from 'vitest';
import { decodeRecord } from './apply-op.js';

const record = (value: string | null, headers: Record<string, string> = {}) => ({
  offset: '41',
  key: Buffer.from('acme'),
  value: value === null ? null : Buffer.from(value),
  headers,
});

describe('decodeRecord', () => {
  it('keeps the document as the record spelled it, numbers past 2^53 and all', () => {
    const value =
      '{"opId":"op-1","partition":"acme","action":"index","cluster":"default","index":"osproxy-shared","id":"acme:orders:1","routing":"acme","body":{"n":12345678901234567890,"f":1.10},"epoch":0}';
    expect(decodeRecord(record(value), 0)).toEqual({
      opId: 'op-1',
      offset: 41n,
      action: 'index',
      index: 'osproxy-shared',
      id: 'acme:orders:1',
      routing: 'acme',
      source: '{"n":12345678901234567890,"f":1.10}',
    });
  });

  it('a delete carries no document', () => {
    const value = '{"opId":"op-2","action":"delete","index":"i","id":"x","body":null}';
    expect(decodeRecord(record(value), 0)).toMatchObject({ action: 'delete', source: null });
  });

  it('a record that is not a resolved write is undecodable, named by its op_id header or its position', () => {
    expect(decodeRecord(record('not json', { op_id: 'op-3' }), 1)).toEqual({
      opId: 'op-3',
      offset: 41n,
      reason: 'undecodable_record',
    });
    expect(decodeRecord(record(null), 1)).toMatchObject({ opId: '1:41', reason: 'undecodable_record' });
    expect(decodeRecord(record('{"action":"upsert","index":"i","id":"x","body":{}}'), 1)).toMatchObject({
      reason: 'undecodable_record',
    });
    expect(decodeRecord(record('{"action":"index","index":"i","id":"x","body":null}'), 1)).toMatchObject({
      reason: 'undecodable_record',
    });
  });
});
