import { describe, expect, it } from 'vitest';
import { checkGraph, escapesPackage } from './check-graph.js';
import type { PackageNode, RepoGraph, SourceFile } from './graph.js';
import type { ArchitectureRules } from './rules.js';
import { extractImports, stripComments } from './scan-source.js';

const rules: ArchitectureRules = {
  runtimeEdges: {
    '@flusso/core': [],
    '@flusso/sinks': ['@flusso/core'],
    '@flusso/sources': ['@flusso/core'],
  },
  devEdges: { '@flusso/sinks': ['@flusso/emu'] },
  layers: { '@flusso/core': 0, '@flusso/sources': 1, '@flusso/sinks': 1 },
  pureCores: ['packages/sinks/src/pure/'],
  impureSpecifier: /^(node:|pg$|undici$)/,
  clockHomes: ['packages/core/src/clock/'],
  clockAllowlist: { 'packages/sinks/src/allowed.ts': 'why' },
  devOnlyFiles: [],
};

function pkg(name: string, deps: string[] = [], dev: string[] = []): PackageNode {
  return {
    name,
    dir: `packages/${name.split('/')[1]}`,
    dependencies: deps,
    devDependencies: dev,
    exports: ['.'],
  };
}

function file(path: string, owner: string, code: string): SourceFile {
  const testOnly = path.endsWith('.test.ts');
  return { path, owner, testOnly, code, imports: extractImports(code).map((i) => ({ file: path, ...i })) };
}

function graph(packages: PackageNode[], files: SourceFile[] = []): RepoGraph {
  return { packages, files, rootDevDependencies: ['vitest'] };
}

const core = pkg('@flusso/core');
const emu = pkg('@flusso/emu');

describe('checkGraph', () => {
  it('accepts a graph that follows the table', () => {
    const sinks = pkg('@flusso/sinks', ['@flusso/core'], ['@flusso/emu']);
    const files = [
      file('packages/sinks/src/a.ts', '@flusso/sinks', "import { x } from '@flusso/core';"),
      file(
        'packages/sinks/src/a.test.ts',
        '@flusso/sinks',
        "import { e } from '@flusso/emu';\nimport 'vitest';",
      ),
    ];
    expect(checkGraph(graph([core, sinks, emu], files), rules)).toEqual([]);
  });

  it('fails on a planted sideways dependency in a package.json', () => {
    const sinks = pkg('@flusso/sinks', ['@flusso/core', '@flusso/sources']);
    const found = checkGraph(graph([core, sinks, pkg('@flusso/sources', ['@flusso/core'])]), rules);
    expect(found).toEqual([
      {
        rule: 'edge',
        where: 'packages/sinks/package.json',
        message: 'dependencies: sideways edge @flusso/sinks -> @flusso/sources',
      },
    ]);
  });

  it('fails on a planted upward dependency', () => {
    const bad = pkg('@flusso/core', ['@flusso/sinks']);
    const found = checkGraph(graph([bad, pkg('@flusso/sinks', ['@flusso/core'])]), rules);
    expect(found.map((v) => v.message)).toEqual(['dependencies: upward edge @flusso/core -> @flusso/sinks']);
  });

  it('fails on a dev-only package used at runtime', () => {
    const sinks = pkg('@flusso/sinks', ['@flusso/core', '@flusso/emu']);
    const found = checkGraph(graph([core, sinks, emu]), rules);
    expect(found.map((v) => v.message)).toEqual(['dependencies: unlisted edge @flusso/sinks -> @flusso/emu']);
  });

  it('fails on an undeclared import, static or dynamic', () => {
    const sinks = pkg('@flusso/sinks', ['@flusso/core']);
    const code = "const m = await import('kafkajs');\nimport { y } from 'undici';";
    const found = checkGraph(
      graph([core, sinks], [file('packages/sinks/src/b.ts', '@flusso/sinks', code)]),
      rules,
    );
    expect(found.map((v) => v.rule)).toEqual(['undeclared', 'undeclared']);
  });

  it('fails on a deep import into another package', () => {
    const sinks = pkg('@flusso/sinks', ['@flusso/core']);
    const files = [
      file(
        'packages/sinks/src/c.ts',
        '@flusso/sinks',
        "import { z } from '@flusso/core/src/names/names.js';",
      ),
      file('packages/sinks/src/d.ts', '@flusso/sinks', "import { z } from '../../core/src/names/names.js';"),
    ];
    const found = checkGraph(graph([core, sinks], files), rules);
    expect(found.map((v) => v.rule)).toEqual(['deep-import', 'deep-import']);
  });

  it('fails when a pure core imports node, pg or undici', () => {
    const sinks = pkg('@flusso/sinks', ['@flusso/core', 'pg']);
    const files = [file('packages/sinks/src/pure/p.ts', '@flusso/sinks', "import pg from 'pg';")];
    expect(checkGraph(graph([core, sinks], files), rules).map((v) => v.rule)).toEqual(['pure-core']);
  });

  it('flags the real clock outside its homes and the allowlist', () => {
    const sinks = pkg('@flusso/sinks', ['@flusso/core']);
    const files = [
      file('packages/sinks/src/t.ts', '@flusso/sinks', 'const t = Date.now();'),
      file('packages/sinks/src/allowed.ts', '@flusso/sinks', 'setTimeout(f, 1);'),
      file('packages/core/src/clock/clock.ts', '@flusso/core', 'performance.now();'),
    ];
    expect(checkGraph(graph([core, sinks], files), rules).map((v) => v.where)).toEqual([
      'packages/sinks/src/t.ts',
    ]);
  });
});

describe('scanning', () => {
  it('ignores imports in comments and finds multi-line and type imports', () => {
    const code = stripComments(
      "// import 'a';\n/* import('b') */\nimport type {\n  X,\n} from 'c';\nexport { y } from './d.js';",
    );
    expect(extractImports(code).map((i) => i.specifier)).toEqual(['c', './d.js']);
  });

  it('tells a relative import that leaves its package', () => {
    expect(escapesPackage('packages/a/src/x/y.ts', '../../../b/src/z.js', 'packages/a')).toBe(true);
    expect(escapesPackage('packages/a/src/x/y.ts', '../z.js', 'packages/a')).toBe(false);
  });
});
