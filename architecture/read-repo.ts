// Reads the workspace into a RepoGraph: every package.json under packages/,
// apps/ and tools/, and every import of every `src/**/*.ts` file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ImportEdge, PackageNode, RepoGraph, SourceFile } from './graph.js';
import { extractImports, stripComments } from './scan-source.js';

const workspaceRoots = ['packages', 'apps', 'tools'];

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly exports?: Record<string, unknown>;
}

function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

function isTestOnly(path: string): boolean {
  return /\.(test|fixture)\.ts$/.test(path) || path.includes('/src/e2e/');
}

/** The graph of the repository rooted at `root`. */
export function readRepo(root: string): RepoGraph {
  const packages: PackageNode[] = [];
  const files: SourceFile[] = [];
  for (const top of workspaceRoots) {
    for (const entry of readdirSync(join(root, top))) {
      const manifestPath = join(root, top, entry, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const m = readManifest(manifestPath);
      const dir = `${top}/${entry}`;
      packages.push({
        name: m.name,
        dir,
        dependencies: Object.keys(m.dependencies ?? {}),
        devDependencies: Object.keys(m.devDependencies ?? {}),
        exports: Object.keys(m.exports ?? {}),
      });
      for (const abs of listTs(join(root, dir, 'src'))) {
        const path = relative(root, abs).split('\\').join('/');
        const code = stripComments(readFileSync(abs, 'utf8'));
        const imports: ImportEdge[] = extractImports(code).map((i) => ({ file: path, ...i }));
        files.push({ path, owner: m.name, testOnly: isTestOnly(path), imports, code });
      }
    }
  }
  const rootManifest = readManifest(join(root, 'package.json'));
  return { packages, files, rootDevDependencies: Object.keys(rootManifest.devDependencies ?? {}) };
}
