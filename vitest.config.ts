import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start local servers; keep the suite deterministic and bounded on 2 cores.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // One module graph per worker, not per file: importing discord.js, telegraf and yahoo-finance2 once per
    // worker instead of once per test file is most of the suite's time. Tests keep no module-level state
    // between files (each builds its own stores and servers), and each also passes alone and in any order.
    isolate: false,
    env: { TZ: 'UTC' },
  },
});
