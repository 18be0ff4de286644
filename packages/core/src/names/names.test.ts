import { describe, expect, it } from 'vitest';
import {
  parseColumnName,
  parseFieldName,
  parseIndexName,
  parsePartitionId,
  parseTableName,
} from './names.js';

describe('validated names', () => {
  it('lower-cases Postgres identifiers and accepts the usual forms', () => {
    expect(parseTableName('Users')).toBe('users');
    expect(parseColumnName('_created_at')).toBe('_created_at');
  });

  it('rejects a bad identifier naming the rule it broke', () => {
    expect(() => parseTableName('1users')).toThrow(/invalid table name "1users": must match/);
    expect(() => parseColumnName('a-b')).toThrow(/invalid column name/);
    expect(() => parseTableName('x'.repeat(64))).toThrow(/at most 63 bytes/);
    expect(() => parseTableName('')).toThrow(/must not be empty/);
  });

  it('applies OpenSearch index name rules', () => {
    expect(parseIndexName('users_v1')).toBe('users_v1');
    for (const bad of ['Users', '_x', '-x', 'a b', 'a*b', 'a/b', '..', 'a:b']) {
      expect(() => parseIndexName(bad), bad).toThrowError(expect.objectContaining({ code: 'invalid_name' }));
    }
  });

  it('keeps field names case-sensitive and partition ids free of separators', () => {
    expect(parseFieldName('createdAt')).toBe('createdAt');
    expect(() => parseFieldName('9lives')).toThrow(/invalid field name/);
    expect(parsePartitionId('acme-01')).toBe('acme-01');
    expect(() => parsePartitionId('acme:1')).toThrow(/invalid partition name/);
  });
});
