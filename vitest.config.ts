import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared-protocol,gateway,gpu-worker,tools,test,Plugin}/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // End-to-end tests start real processes; give them room on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file at a time: many files start real gateway/worker processes or check latency
    // distributions, and on a 2-core machine parallel files would measure each other.
    fileParallelism: false,
  },
});
