// The test helper for projects that talk to Strapi, in vitest: one call at the top of a test
// file gives a fresh emulator behind MSW (no port) or on a real port (emulator/test-setup.ts).
//
//   const strapi = setupStrapiEmulator({ strapi: 5 });              // MSW on http://strapi.test
//   const strapi = setupStrapiEmulator({ server });                 // joins your own MSW server
//   const strapi = setupStrapiEmulator({ port: 0 });                // a real server: strapi.url
//   const user = await strapi.seed.user({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' });
//
// It registers vitest hooks, so call it at the top level of a test file (or of a describe).
import { afterAll, afterEach, beforeAll } from 'vitest';
import { checkInstalledPeer } from './peers-node.js';
import { type StrapiEmulatorSetup, type StrapiTestEmulator, setupWith } from './test-setup.js';

export type * from './test-setup.js';

checkInstalledPeer('strapi-emulator/vitest', 'vitest');

export function setupStrapiEmulator(options: StrapiEmulatorSetup = {}): StrapiTestEmulator {
  return setupWith('strapi-emulator/vitest', { beforeAll, afterEach, afterAll }, options);
}
