// check's live tests (they boot real Strapi themselves); started by contracts/run.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['contracts/remote/*.live.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
