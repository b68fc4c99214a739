// Every entry's types as an ESM project sees them; the @ts-expect-error lines prove the types
// are real (an `any` would let them through, and tsc then fails on the unused directive).
import { type Emulator, type EmulatorOptions, createEmulator } from 'strapi-emulator';
import { strapiHandlers } from 'strapi-emulator/msw';
import { type StrapiTestEmulator, setupStrapiEmulator } from 'strapi-emulator/vitest';
import { setupStrapiEmulator as setupForJest } from 'strapi-emulator/jest';
import { setupServer } from 'msw/node';
import { setupWorker } from 'msw/browser';
import { addFiles, createEmulator as createInPage, strapiHandlers as pageHandlers } from 'strapi-emulator/msw/browser';

const options: EmulatorOptions = { strapi: 5, jwtSecret: 'x' };
const emulator: Emulator = createEmulator(options);
const major: 4 | 5 = emulator.major;
const server = setupServer(...strapiHandlers('http://strapi.test', emulator));
const strapi: StrapiTestEmulator = setupStrapiEmulator({ server, seed: { users: [{ username: 'a', email: 'a@example.com' }] } });
const viaJest: StrapiTestEmulator = setupForJest({ port: 0 });
export const worker = setupWorker(...pageHandlers('http://strapi.test', createInPage({ strapi: 5, contentTypes: ['/cms/src'] })));
export const added: number = addFiles({ '/cms/src/components/shared/seo.json': { attributes: {} } });

export async function use(): Promise<string> {
  const user = await strapi.seed.user({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' });
  const mails = viaJest.outbox('ann@example.com').map((m) => m.to);
  // @ts-expect-error strapi is 4 or 5
  createEmulator({ strapi: 6 });
  // @ts-expect-error a user seed needs an email
  await strapi.seed.user({ username: 'bob' });
  return `${major} ${user.username} ${mails.join()} ${String(emulator.app.fetch)}`;
}
