// The conformance runs against one target (CONTRACT_TARGET: article and rich projects), and the
// rich project's in-flight scenarios on the emulator; started by contracts/run.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['contracts/conformance/live.test.ts', 'contracts/conformance/live-rich.test.ts', 'contracts/conformance/live-auth.test.ts', 'contracts/differential/live-*.test.ts'],
    // Real Strapi hashes with bcrypt cost 10 (~80 ms a login) and the rate-limit scenarios send
    // 11 requests each, so a scenario may take seconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
