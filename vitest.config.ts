import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared-protocol,gateway,gpu-worker,tools,test,Plugin}/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // End-to-end tests start real processes; give them room on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
