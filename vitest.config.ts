import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'spec/**/*.test.ts', 'emulator/**/*.test.ts', 'contracts/**/*.test.ts', 'cli/**/*.test.ts'],
    // live.test.ts needs a running real Strapi: contracts/run-live.ts runs it (npm run contracts:live).
    exclude: ['**/node_modules/**', 'contracts/conformance/live.test.ts'],
    testTimeout: 60_000,
  },
});
