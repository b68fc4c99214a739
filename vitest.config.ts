import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'spec/**/*.test.ts', 'emulator/**/*.test.ts', 'contracts/**/*.test.ts', 'cli/**/*.test.ts', 'differential/**/*.test.ts'],
    // live*.test.ts need a running real Strapi: contracts/run.ts runs them (npm run contracts).
    exclude: ['**/node_modules/**', 'test/package/**', 'contracts/conformance/live.test.ts', 'contracts/conformance/live-rich.test.ts', 'contracts/conformance/live-auth.test.ts', '**/*.live.test.ts', 'contracts/differential/live-*.test.ts'],
    testTimeout: 60_000,
  },
});
