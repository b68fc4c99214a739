export { createEmulator } from './index.js'; export { strapiHandlers } from './msw.js';
