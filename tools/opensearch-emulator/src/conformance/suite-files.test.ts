import { describe, expect, it } from 'vitest';
import { indentFlowContinuations, parseSuiteFile } from './suite-files.js';

describe('suite files: SnakeYAML leniency', () => {
  it('reads a multi-line quoted scalar continued below its block indentation, folded to one space', () => {
    const text = [
      '"t":',
      '  - match: { error.reason: "first half,',
      '  second half" }',
      '  - match: { status: 400 }',
    ].join('\n');
    const file = parseSuiteFile('x.yml', text);
    expect(file.error).toBeUndefined();
    expect(file.tests[0]?.steps).toEqual([
      { match: { 'error.reason': 'first half, second half' } },
      { match: { status: 400 } },
    ]);
  });

  it('reads a flow map closed at (or left of) its key’s column', () => {
    const text = [
      '"t":',
      '  - do:',
      '      indices.get_mapping: {',
      '        index: test_1',
      '      }',
      '  - match: { _source: {',
      '      a: 1,',
      '      b: [ "x", "y" ]',
      '    }',
      '  }',
    ].join('\n');
    const file = parseSuiteFile('x.yml', text);
    expect(file.error).toBeUndefined();
    expect(file.tests[0]?.steps).toEqual([
      { do: { 'indices.get_mapping': { index: 'test_1' } } },
      { match: { _source: { a: 1, b: ['x', 'y'] } } },
    ]);
  });

  it('leaves block scalars, comments and brackets inside plain or quoted scalars alone', () => {
    const text = [
      '"t":',
      '  - do:',
      '      bulk:',
      '        body: |',
      '          {"index": {"_id": "1"}}',
      '          {"f": "{ not flow"}',
      '  - match: { a: "x { y" } # { a comment',
      '  - is_true: it{s',
    ].join('\n');
    expect(indentFlowContinuations(text)).toBe(text);
    expect(parseSuiteFile('x.yml', text).tests[0]?.steps[0]).toEqual({
      do: { bulk: { body: '{"index": {"_id": "1"}}\n{"f": "{ not flow"}\n' } },
    });
  });

  it('still reports a file that is not YAML even to SnakeYAML', () => {
    const file = parseSuiteFile('x.yaml', '---\n"name"\nsetup:\n  - do: {}\n');
    expect(file.error).toBeDefined();
  });
});
