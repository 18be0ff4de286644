import { type DocumentId, type IndexName, RawNumber } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { bulkLine } from './bulk-body.js';

describe('bulk body', () => {
  it('writes exact numbers as Postgres printed them', () => {
    const line = bulkLine(
      {
        op: 'upsert',
        index: 'vals' as IndexName,
        id: '9007199254740993' as DocumentId,
        document: { big: new RawNumber('9007199254740993'), dec: new RawNumber('0.1000000000000000000001') },
      },
      'flusso_vals_1',
    );
    expect(line.text).toBe(
      '{"index":{"_index":"flusso_vals_1","_id":"9007199254740993"}}\n{"big":9007199254740993,"dec":0.1000000000000000000001}\n',
    );
  });
});
