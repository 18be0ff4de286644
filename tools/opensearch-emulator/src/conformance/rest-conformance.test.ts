// OpenSearch's own REST API YAML tests against the emulator (or, with
// OPENSEARCH_URL set, against a real cluster): one vitest test per YAML test.
// A failure must be listed in expected-failures.txt, and a listed test must fail.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../server.js';
import { loadSpecs } from './api-specs.js';
import { type RunContext, runTest } from './execute.js';
import { loadExpectations, testKey } from './expectations.js';
import { skipReason } from './skips.js';
import { loadSuite, type Step } from './suite-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const root = resolve(repoRoot, process.env.OPENSEARCH_REST_TESTS ?? '../shared/opensearch-rest-tests');
const expectations = loadExpectations(resolve(here, 'expected-failures.txt'));

function staticSkip(steps: Step[]): string | null {
  for (const step of steps) {
    if (!('skip' in step)) continue;
    const reason = skipReason(step.skip as Record<string, unknown>);
    if (reason) return reason;
  }
  return null;
}

if (!existsSync(resolve(root, 'test'))) {
  process.stdout.write(`OpenSearch REST tests not found at ${root}: conformance run skipped\n`);
  // Reported as skipped (never passed): there is nothing to run.
  it(`OpenSearch REST tests not found at ${root}`, (t) => t.skip('no REST tests folder'));
} else {
  const specs = loadSpecs(root);
  // OPENSEARCH_REST_ONLY narrows the run to files whose path contains it (for debugging).
  const only = process.env.OPENSEARCH_REST_ONLY;
  const files = loadSuite(root).filter((f) => only === undefined || f.path.includes(only));
  let emulator: Emulator | undefined;
  const ctx: { value?: RunContext } = {};
  const tally = { passed: 0, failed: 0, expected: 0 };

  beforeAll(async () => {
    const external = process.env.OPENSEARCH_URL;
    if (external === undefined) emulator = await startEmulator();
    ctx.value = { baseUrl: (external ?? emulator?.url ?? '').replace(/\/$/, ''), specs };
  });
  afterAll(async () => {
    await emulator?.close();
    const run = tally.passed + tally.failed;
    process.stdout.write(
      `OpenSearch REST conformance: ${tally.passed} of ${run} run passed (${tally.expected} failures expected)\n`,
    );
  });

  for (const file of files) {
    describe(file.path, () => {
      if (file.error !== undefined) {
        const key = testKey(file.path, '(file)');
        it('(file)', () => {
          tally.failed++;
          if (expectations.has(key)) tally.expected++;
          expect(expectations.has(key), `unreadable test file: ${file.error}`).toBe(true);
        });
        return;
      }
      for (const test of file.tests) {
        const skip = staticSkip(file.setup) ?? staticSkip(test.steps);
        if (skip) {
          // The test's own `skip` (version range or a runner feature it needs): reported as skipped.
          it(`${test.name} (${skip})`, (t) => t.skip(skip));
          continue;
        }
        it(test.name, async () => {
          const outcome = await runTest(ctx.value as RunContext, file, test);
          const listed = expectations.get(testKey(file.path, test.name));
          if (outcome.kind === 'passed') tally.passed++;
          else tally.failed++;
          if (listed && outcome.kind === 'failed') tally.expected++;
          if (listed)
            expect(outcome.kind, `listed as an expected failure (${listed.why}) but it passes now`).toBe(
              'failed',
            );
          else if (outcome.kind === 'failed') expect.fail(outcome.reason);
        });
      }
    });
  }
}
