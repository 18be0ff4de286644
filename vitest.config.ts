import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Each workspace package is a vitest project; sibling packages resolve to their
// TypeScript sources through the `@flusso/source` export condition, so tests
// never depend on a stale build.

export default defineConfig({
  resolve: { conditions: ['@flusso/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@flusso/source', ...defaultServerConditions] } },
  test: {
    projects: [
      ...['packages/*', 'apps/*', 'tools/*'].map((glob) => ({
        extends: true,
        test: {
          name: glob.split('/')[0],
          include: [`${glob}/src/**/*.test.ts`],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      })),
      // The repository's own rules: architecture.test.ts and its checker's tests.
      {
        extends: true,
        test: { name: 'repo', include: ['architecture.test.ts', 'architecture/**/*.test.ts'] },
      },
    ],
    pool: 'forks',
  },
});
