import { defineConfig } from 'vitest/config';

/**
 * `LEDGERLINE_GATE_FIXTURE=pass|fail` runs only that fixture under this same configuration (global
 * setup included): test/gate/exit-code.test.ts runs it in a child process to prove that a failing
 * test fails the runner. The fixtures are never part of the normal run.
 */
const gateFixture = process.env.LEDGERLINE_GATE_FIXTURE;

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build (Apollo's packages require it); Vite would pick the .mjs one,
    // and two copies of graphql refuse each other's schemas. Use the one Node uses.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: gateFixture
      ? [`test/gate/fixtures/${gateFixture}.fixture.ts`]
      : ['test/**/*.test.ts', 'subgraphs/**/*.test.ts', 'lib/**/*.test.ts', 'sync-jobs/**/*.test.ts', 'gateway/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each test file gets its own database cloned from a migrated template, so files run in parallel.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run prints its closing "N passed, N failed" line from.
    reporters: ['default', ['json', { outputFile: process.env.LEDGERLINE_TEST_REPORT ?? 'reports/vitest.json' }]],
  },
});
