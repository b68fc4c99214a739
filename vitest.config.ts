import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'spec/**/*.test.ts', 'emulator/**/*.test.ts', 'contracts/**/*.test.ts'],
    // The conformance scenarios need a target; contracts/run-live.ts runs them against real Strapi.
    exclude: ['**/node_modules/**', 'contracts/conformance/**'],
    testTimeout: 60_000,
  },
});
