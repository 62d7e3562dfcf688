import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start local servers; keep the suite deterministic and bounded on 2 cores.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    env: { TZ: 'UTC' },
  },
});
