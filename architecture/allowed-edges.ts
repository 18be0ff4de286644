// The allowed-edges table: which workspace package may depend on which. Two
// stacks share core and sinks: flusso (sources, engine, daemon, cli) and osproxy
// (proxy, osproxy). An edge not listed here fails the architecture test.

/** Runtime edges: `dependencies` and imports from production files. */
export const runtimeEdges: Readonly<Record<string, readonly string[]>> = {
  '@flusso/core': [],
  '@flusso/sources': ['@flusso/core'],
  '@flusso/sinks': ['@flusso/core'],
  '@flusso/engine': ['@flusso/core'],
  // proxy reads the upstream and write-queue contracts of sinks (types and errors, from the light root).
  '@flusso/proxy': ['@flusso/core', '@flusso/sinks'],
  // daemon: sources for `scalarDescriptors`, the schema-file type check.
  '@flusso/daemon': ['@flusso/core', '@flusso/engine', '@flusso/sources'],
  '@flusso/cli': [
    '@flusso/core',
    '@flusso/sources',
    '@flusso/sinks',
    '@flusso/engine',
    '@flusso/daemon',
    '@flusso/app-kit',
  ],
  '@flusso/osproxy': ['@flusso/core', '@flusso/sinks', '@flusso/proxy', '@flusso/app-kit'],
  // app-kit: process scaffolding for the apps only (logger, signals, exit codes, OTLP).
  '@flusso/app-kit': ['@flusso/core'],
  '@flusso/net-kit': [],
  '@flusso/opensearch-emulator': [],
  '@flusso/kafka-double': [],
  '@flusso/pg-harness': ['@flusso/net-kit'],
  '@flusso/bench': [
    '@flusso/cli',
    '@flusso/core',
    '@flusso/daemon',
    '@flusso/sources',
    '@flusso/opensearch-emulator',
    '@flusso/pg-harness',
    '@flusso/net-kit',
    '@flusso/kafka-double',
  ],
};

/** Test-only edges: `devDependencies` and imports from test files, on top of the runtime ones. */
export const devEdges: Readonly<Record<string, readonly string[]>> = {
  '@flusso/sources': ['@flusso/pg-harness'],
  '@flusso/sinks': ['@flusso/opensearch-emulator', '@flusso/net-kit', '@flusso/kafka-double'],
  '@flusso/proxy': ['@flusso/opensearch-emulator'],
  // daemon: the real bulk sink, to show the lock's mapping options reach a created index.
  '@flusso/daemon': ['@flusso/pg-harness', '@flusso/opensearch-emulator', '@flusso/sinks'],
  '@flusso/cli': [
    '@flusso/pg-harness',
    '@flusso/opensearch-emulator',
    '@flusso/net-kit',
    '@flusso/kafka-double',
  ],
  '@flusso/osproxy': ['@flusso/opensearch-emulator', '@flusso/net-kit', '@flusso/kafka-double'],
  '@flusso/kafka-double': ['@flusso/net-kit'],
};

/** Layers, for naming a bad edge: an edge to a higher layer is upward, to the same layer sideways. */
export const layers: Readonly<Record<string, number>> = {
  '@flusso/core': 0,
  '@flusso/sources': 1,
  '@flusso/sinks': 1,
  '@flusso/engine': 2,
  '@flusso/proxy': 2,
  '@flusso/daemon': 3,
  '@flusso/cli': 4,
  '@flusso/osproxy': 4,
};

/** Pure cores: production files under these prefixes import no I/O client. */
export const pureCores: readonly string[] = [
  'packages/proxy/src/grammar/',
  'packages/proxy/src/rewrite/',
  'packages/proxy/src/shape/',
  'packages/proxy/src/json/',
  'packages/core/src/json/',
  'packages/sources/src/builder/coerce.ts',
];

/** Specifiers a pure core may not import. */
export const impureSpecifier = /^(node:|pg$|pg-|undici$)/;

/** Where the real clock may be read: core's clock and the apps (composition roots). */
export const clockHomes: readonly string[] = ['packages/core/src/clock/', 'apps/', 'tools/'];

/** Existing, justified real-clock uses in packages (file → why). Keep it short. */
export const clockAllowlist: Readonly<Record<string, string>> = {
  // The request deadline bounds real socket I/O; a ManualClock cannot abort a socket.
  'packages/sinks/src/upstream/undici-upstream.ts': 'deadline on real I/O',
  // A test double (exported from `@flusso/core/testing` only) that makes a build slow.
  'packages/core/src/contracts/map-document-builder.ts': 'test double delay',
};

/** Production-path files that run only inside the workspace (devDependencies installed), like tests. */
export const devOnlyFiles: readonly string[] = [
  // `pnpm demo`: starts an embedded Postgres and the emulator next to flusso.
  'apps/flusso/src/demo.ts',
  // `pnpm demo` (flusso + osproxy): the same, plus osproxy on free ports.
  'apps/flusso/src/demo-together.ts',
];
