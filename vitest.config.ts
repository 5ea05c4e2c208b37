import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: keep parallel forks bounded so socket tests are not starved.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts'] },
      },
      {
        // The system tests run whole sets of service processes (up to eight): one file at a time, after the
        // unit tests, so that no two of them (or a unit test) starve each other of the two cores.
        extends: true,
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          fileParallelism: false,
          // Whole processes start, stop and restart inside a test: generous bounds, each wait has its own.
          testTimeout: 120_000,
          hookTimeout: 90_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
