// The test helper for projects that talk to Strapi, in jest (CommonJS or ESM): the same as
// strapi-emulator/vitest (emulator/test-setup.ts), on jest's hooks.
//
//   const { setupStrapiEmulator } = require('strapi-emulator/jest');
//   const strapi = setupStrapiEmulator({ strapi: 5 });              // MSW on http://strapi.test
//
// It registers jest hooks, so call it at the top level of a test file (or of a describe).
import { checkPeer } from './peers.js';
import { installedVersion, peerRanges } from './peers-node.js';
import { type RunnerHooks, type StrapiEmulatorSetup, type StrapiTestEmulator, setupWith } from './test-setup.js';

export type * from './test-setup.js';


/** jest's hooks: its globals, or `@jest/globals` where the project turned them off (injectGlobals: false). */
function jestHooks(): RunnerHooks {
  const g = globalThis as Partial<RunnerHooks>;
  if (typeof g.beforeAll === 'function' && typeof g.afterEach === 'function' && typeof g.afterAll === 'function') return g as RunnerHooks;
  throw new Error('setupStrapiEmulator (strapi-emulator/jest) runs inside a jest test file: no beforeAll/afterEach/afterAll globals here (with injectGlobals: false, pass them: setupStrapiEmulator(options, require("@jest/globals")))');
}

export function setupStrapiEmulator(options: StrapiEmulatorSetup = {}, hooks: RunnerHooks = jestHooks()): StrapiTestEmulator {
  // Only a jest found is checked: a runner started through jest-cli alone may have none to find.
  const jest = installedVersion('jest');
  if (jest !== undefined) checkPeer('strapi-emulator/jest', 'jest', jest, ...peerRanges.jest);
  return setupWith('strapi-emulator/jest', hooks, options);
}
