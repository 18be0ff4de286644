import { describe, expect, it } from 'vitest';
import { keepInSource, keepInSourceParams } from './source-filter.js';

const fields = ['_tenant', '_index_name'];

describe('source filtering on a shared index', () => {
  it('adds the tenancy fields to includes and drops excludes that would hide them', () => {
    expect(keepInSource(['v'], fields)).toEqual(['v', '_tenant', '_index_name']);
    expect(keepInSource('v', fields)).toEqual(['v', '_tenant', '_index_name']);
    expect(keepInSource({ includes: ['v'], excludes: ['_*', 'secret'] }, fields)).toEqual({
      includes: ['v', '_tenant', '_index_name'],
      excludes: ['secret'],
    });
    expect(keepInSource({ excludes: ['big'] }, fields)).toEqual({ excludes: ['big'] });
    for (const untouched of [true, false, undefined]) expect(keepInSource(untouched, fields)).toBe(untouched);
  });

  it('does the same for URL parameters', () => {
    expect(
      keepInSourceParams({ _source_includes: 'v', _source_excludes: '_tenant,big', routing: 'r' }, fields),
    ).toEqual({ _source_includes: 'v,_tenant,_index_name', _source_excludes: 'big', routing: 'r' });
    expect(keepInSourceParams({ _source: 'v' }, fields)).toEqual({ _source: 'v,_tenant,_index_name' });
    expect(keepInSourceParams({ _source: 'false', _source_excludes: '_*' }, fields)).toEqual({
      _source: 'false',
    });
  });
});
