// The rules the architecture check applies, as data: tests pass a fake table to
// prove the checker, the real test passes `allowed-edges.ts`.

export interface ArchitectureRules {
  readonly runtimeEdges: Readonly<Record<string, readonly string[]>>;
  readonly devEdges: Readonly<Record<string, readonly string[]>>;
  readonly layers: Readonly<Record<string, number>>;
  readonly pureCores: readonly string[];
  readonly impureSpecifier: RegExp;
  readonly clockHomes: readonly string[];
  readonly clockAllowlist: Readonly<Record<string, string>>;
  /** Non-test files that run only in the workspace: checked as test files. */
  readonly devOnlyFiles: readonly string[];
}

/** One broken rule, with where and why. */
export interface Violation {
  readonly rule: 'edge' | 'undeclared' | 'deep-import' | 'test-only-entry' | 'pure-core' | 'clock';
  readonly where: string;
  readonly message: string;
}
