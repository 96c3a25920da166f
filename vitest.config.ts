import { defineConfig } from 'vitest/config';

/**
 * Files that measure request spacing in milliseconds (rate-limit windows, the shared limiter, the
 * local service's latency) and the kill -9 test whose runs are paced to last seconds: they run
 * after the others, one file at a time, so no other test file competes with them for the CPU.
 */
const ALONE = [
  'test/commit-crash.test.ts',
  'test/rate-limit-and-throttling.test.ts',
  'test/rate-limits-per-api.test.ts',
  'test/shared-limiter.test.ts',
  'test/shared-limiter-settings.test.ts',
  'test/local-service-latency.test.ts',
  'test/rate-limit-at-service.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time: most of a file's time is spent waiting for its child processes
    // and local servers, so a 2-core machine runs two files in about the time of one.
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: ALONE } },
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          // groupOrder 1: after every file of the parallel project has ended; singleFork: one at a time.
          sequence: { groupOrder: 1 },
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
