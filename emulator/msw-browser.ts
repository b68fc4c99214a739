// strapi-emulator/msw/browser: the emulator in the page, for MSW's setupWorker (a front end
// in development, Storybook, component tests). Built for the browser by scripts/build.mjs: Node's
// built-ins are replaced by emulator/browser/* (an in-memory file system holding the spec and
// the default content types, Web Crypto, pako), so nothing here needs Node.
//
//   import { setupWorker } from 'msw/browser';
//   import { createEmulator, strapiHandlers } from 'strapi-emulator/msw/browser';
//   const worker = setupWorker(...strapiHandlers('http://strapi.test', createEmulator({ strapi: 5 })));
//   await worker.start();
export { strapiHandlers } from './msw.js';
export { createEmulator } from './index.js';
export type { Control, Emulator, EmulatorOptions, Major, Mail, StoreSnapshot } from './index.js';
export { addFiles } from './browser/fs.js';
