// `npm run test:package`: packs the project, installs the tarball into a scratch project (from
// the registry / npm cache) and runs that project's tests. Not part of `npm test`, which has no
// network but loopback.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/package/package.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
