// strapi-emulator/msw under Node: the handlers of emulator/msw.ts, after the installed msw's
// version is checked (the browser entry cannot read it).
import { checkInstalledPeer } from './peers-node.js';

checkInstalledPeer('strapi-emulator/msw', 'msw');

export { strapiHandlers } from './msw.js';
