import { defineConfig } from 'vitest/config';

// Each workspace package is a vitest project; sibling packages resolve to their
// TypeScript sources through the `@flusso/source` export condition, so tests
// never depend on a stale build.
const sourceConditions = ['@flusso/source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['node'] } },
  test: {
    projects: ['packages/*', 'apps/*', 'tools/*'].map((glob) => ({
      extends: true,
      test: {
        name: glob.split('/')[0],
        include: [`${glob}/src/**/*.test.ts`],
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
    pool: 'forks',
  },
});
