import { FlussoError, parseClusterId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { dedicatedPlacements } from './placement-settings.js';

const cluster = parseClusterId('default');

describe('dedicated_indices', () => {
  it('reads partition=template entries as DedicatedIndex placements on the tenancy cluster', () => {
    const placements = dedicatedPlacements(['acme=acme-{index}', ' globex = {index}.{partition} '], cluster);
    expect([...placements]).toEqual([
      ['acme', { mode: 'DedicatedIndex', cluster, indexTemplate: 'acme-{index}' }],
      ['globex', { mode: 'DedicatedIndex', cluster, indexTemplate: '{index}.{partition}' }],
    ]);
  });

  it.each([
    ['acme', /partition=template/],
    ['=x-{index}', /partition=template/],
    ['a:b=x-{index}', /valid partition/],
    ['acme=acme', /\{index\}/],
    ['acme={index}-{tenant}', /only \{index\} and \{partition\}/],
  ])('refuses %s, naming the setting and never the value', (entry, reason) => {
    let error: unknown;
    try {
      dedicatedPlacements([entry], cluster);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FlussoError);
    expect((error as FlussoError).code).toBe('config_invalid');
    expect((error as Error).message).toMatch(/^dedicated_indices: /);
    expect((error as Error).message).toMatch(reason);
  });

  it('refuses one partition placed twice', () => {
    expect(() => dedicatedPlacements(['acme=a-{index}', 'acme=b-{index}'], cluster)).toThrow(
      /already placed/,
    );
  });
});
