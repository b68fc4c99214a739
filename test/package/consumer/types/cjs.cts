// The same from CommonJS: `require` resolves to the package's CommonJS build and its types.
import strapiEmulator = require('strapi-emulator');
import jest = require('strapi-emulator/jest');
import msw = require('strapi-emulator/msw');

const emulator: strapiEmulator.Emulator = strapiEmulator.createEmulator({ strapi: 4 });
export const handlers = msw.strapiHandlers('http://strapi.test', emulator);
export const strapi: jest.StrapiTestEmulator = jest.setupStrapiEmulator({ strapi: 4 });
// @ts-expect-error the main entry has no setupStrapiEmulator
strapiEmulator.setupStrapiEmulator;
