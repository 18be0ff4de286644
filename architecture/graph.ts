// The dependency graph the architecture check reads: workspace packages with
// their declared deps, and every import of every `src/**` file.

/** A workspace package as its package.json declares it. */
export interface PackageNode {
  readonly name: string;
  /** Repo-relative directory, e.g. `packages/core`. */
  readonly dir: string;
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
  /** Export subpaths, e.g. `.` and `./testing`. */
  readonly exports: readonly string[];
}

/** One module specifier found in a source file. */
export interface ImportEdge {
  /** Repo-relative file path. */
  readonly file: string;
  readonly specifier: string;
  readonly dynamic: boolean;
}

/** A source file: its path, whether only tests load it, its imports and its text. */
export interface SourceFile {
  /** Repo-relative path. */
  readonly path: string;
  /** Owning package name. */
  readonly owner: string;
  /** `*.test.ts`, `*.fixture.ts`, or under `src/e2e/`: loaded by tests only. */
  readonly testOnly: boolean;
  readonly imports: readonly ImportEdge[];
  /** Code with comments removed (strings kept). */
  readonly code: string;
}

export interface RepoGraph {
  readonly packages: readonly PackageNode[];
  readonly files: readonly SourceFile[];
  /** The root package.json's devDependencies (vitest, fast-check): tests may use them anywhere. */
  readonly rootDevDependencies: readonly string[];
}
