// Checks a RepoGraph against ArchitectureRules: declared deps, imports, pure
// cores and the real clock. Pure: the graph comes in, violations come out.
import type { PackageNode, RepoGraph, SourceFile } from './graph.js';
import type { ArchitectureRules, Violation } from './rules.js';

const workspaceScope = '@flusso/';

/** Every violation of `rules` in `graph`; empty when the architecture holds. */
export function checkGraph(graph: RepoGraph, rules: ArchitectureRules): Violation[] {
  const byName = new Map(graph.packages.map((p) => [p.name, p]));
  const out: Violation[] = [];
  for (const pkg of graph.packages) out.push(...checkManifest(pkg, byName, rules));
  for (const scanned of graph.files) {
    const file = rules.devOnlyFiles.includes(scanned.path) ? { ...scanned, testOnly: true } : scanned;
    const pkg = byName.get(file.owner);
    if (!pkg) continue;
    out.push(...checkImports(file, pkg, { graph, byName, rules }));
    out.push(...checkPureCore(file, rules), ...checkClock(file, rules));
  }
  return out;
}

/** `upward`, `sideways` or `unlisted`, for the message of a bad edge. */
export function edgeKind(from: string, to: string, rules: ArchitectureRules): string {
  const a = rules.layers[from];
  const b = rules.layers[to];
  if (a === undefined || b === undefined) return 'unlisted';
  if (b > a) return 'upward';
  if (b === a) return 'sideways';
  return 'unlisted';
}

function allowed(from: string, to: string, testOnly: boolean, rules: ArchitectureRules): boolean {
  if ((rules.runtimeEdges[from] ?? []).includes(to)) return true;
  return testOnly && (rules.devEdges[from] ?? []).includes(to);
}

function checkManifest(
  pkg: PackageNode,
  byName: ReadonlyMap<string, PackageNode>,
  rules: ArchitectureRules,
): Violation[] {
  const out: Violation[] = [];
  const lists: ReadonlyArray<readonly [readonly string[], boolean, string]> = [
    [pkg.dependencies, false, 'dependencies'],
    [pkg.devDependencies, true, 'devDependencies'],
  ];
  for (const [deps, testOnly, field] of lists) {
    for (const dep of deps) {
      if (!byName.has(dep) || allowed(pkg.name, dep, testOnly, rules)) continue;
      const kind = edgeKind(pkg.name, dep, rules);
      out.push({
        rule: 'edge',
        where: `${pkg.dir}/package.json`,
        message: `${field}: ${kind} edge ${pkg.name} -> ${dep}`,
      });
    }
  }
  return out;
}

interface ImportContext {
  readonly graph: RepoGraph;
  readonly byName: ReadonlyMap<string, PackageNode>;
  readonly rules: ArchitectureRules;
}

/** `@scope/name/sub` → [`@scope/name`, `./sub`]; `name/sub` → [`name`, `./sub`]. */
export function splitSpecifier(specifier: string): readonly [string, string] {
  const parts = specifier.split('/');
  const n = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return [parts.slice(0, n).join('/'), rest === '' ? '.' : `./${rest}`];
}

function checkImports(file: SourceFile, pkg: PackageNode, ctx: ImportContext): Violation[] {
  const out: Violation[] = [];
  for (const edge of file.imports) {
    const where = `${file.path} (${edge.specifier})`;
    if (edge.specifier.startsWith('.')) {
      if (escapesPackage(file.path, edge.specifier, pkg.dir)) {
        out.push({ rule: 'deep-import', where, message: 'relative import leaves its package' });
      }
      continue;
    }
    if (edge.specifier.startsWith('node:')) continue;
    out.push(...checkBareImport(file, pkg, edge.specifier, ctx));
  }
  return out;
}

function checkBareImport(
  file: SourceFile,
  pkg: PackageNode,
  specifier: string,
  ctx: ImportContext,
): Violation[] {
  const [name, subpath] = splitSpecifier(specifier);
  const where = `${file.path} (${specifier})`;
  const declared = file.testOnly
    ? [...pkg.dependencies, ...pkg.devDependencies, ...ctx.graph.rootDevDependencies]
    : pkg.dependencies;
  if (name === pkg.name) return [{ rule: 'deep-import', where, message: 'imports its own package by name' }];
  if (!declared.includes(name)) {
    return [{ rule: 'undeclared', where, message: `${name} is not declared in ${pkg.dir}/package.json` }];
  }
  if (!name.startsWith(workspaceScope)) return [];
  const target = ctx.byName.get(name);
  const out: Violation[] = [];
  if (!allowed(pkg.name, name, file.testOnly, ctx.rules)) {
    const kind = edgeKind(pkg.name, name, ctx.rules);
    out.push({ rule: 'edge', where, message: `${kind} edge ${pkg.name} -> ${name}` });
  }
  if (target && !target.exports.includes(subpath)) {
    out.push({ rule: 'deep-import', where, message: `${subpath} is not an export of ${name}` });
  }
  if (subpath === './testing' && !file.testOnly) {
    out.push({ rule: 'test-only-entry', where, message: 'production code imports a testing entry' });
  }
  return out;
}

/** Whether `specifier`, relative to `file`, resolves outside `dir`. */
export function escapesPackage(file: string, specifier: string, dir: string): boolean {
  const parts = file.split('/').slice(0, -1);
  for (const segment of specifier.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.') parts.push(segment);
  }
  return !`${parts.join('/')}/`.startsWith(`${dir}/`);
}

function checkPureCore(file: SourceFile, rules: ArchitectureRules): Violation[] {
  if (file.testOnly || !rules.pureCores.some((prefix) => file.path.startsWith(prefix))) return [];
  return file.imports
    .filter((edge) => rules.impureSpecifier.test(edge.specifier))
    .map((edge) => ({
      rule: 'pure-core' as const,
      where: `${file.path} (${edge.specifier})`,
      message: 'a pure core imports an I/O module',
    }));
}

const realClock = /\b(Date\.now|performance\.now|setTimeout)\s*\(/g;

function checkClock(file: SourceFile, rules: ArchitectureRules): Violation[] {
  if (file.testOnly || rules.clockHomes.some((home) => file.path.startsWith(home))) return [];
  if (rules.clockAllowlist[file.path] !== undefined) return [];
  return [...file.code.matchAll(realClock)].map((m) => ({
    rule: 'clock' as const,
    where: file.path,
    message: `${m[1]} outside the Clock: inject a Clock (or add a commented allowlist entry)`,
  }));
}
