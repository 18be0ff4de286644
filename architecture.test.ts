// The architecture holds: every package.json dep and every `src/**` import
// follows the allowed-edges table, pure cores stay pure, the real clock stays home.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  clockAllowlist,
  clockHomes,
  devEdges,
  devOnlyFiles,
  impureSpecifier,
  layers,
  pureCores,
  runtimeEdges,
} from './architecture/allowed-edges.js';
import { checkGraph } from './architecture/check-graph.js';
import { readRepo } from './architecture/read-repo.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const rules = {
  runtimeEdges,
  devEdges,
  layers,
  pureCores,
  impureSpecifier,
  clockHomes,
  clockAllowlist,
  devOnlyFiles,
};

describe('architecture', () => {
  const graph = readRepo(root);

  it('reads every workspace package and its sources', () => {
    expect(graph.packages.map((p) => p.name)).toContain('@flusso/core');
    expect(graph.files.length).toBeGreaterThan(100);
  });

  it('lists every workspace package in the allowed-edges table', () => {
    const unlisted = graph.packages.map((p) => p.name).filter((name) => runtimeEdges[name] === undefined);
    expect(unlisted).toEqual([]);
  });

  it('has no upward, sideways, undeclared or deep edge, impure core or stray clock', () => {
    expect(checkGraph(graph, rules)).toEqual([]);
  });

  it('keeps the clock allowlist to files that still need it', () => {
    const stale = Object.keys(clockAllowlist).filter(
      (path) =>
        !graph.files.some(
          (f) => f.path === path && /\b(Date\.now|performance\.now|setTimeout)\s*\(/.test(f.code),
        ),
    );
    expect(stale).toEqual([]);
  });
});
