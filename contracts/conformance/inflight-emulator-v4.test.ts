// The rich project's i18n scenarios (work in flight) against the emulator
// v4; not part of `npm test` until that work lands (`npm run contracts -- --inflight`).
import { startEmulatorTarget } from '../emulator-target.js';
import { richProject } from './rich-client.js';
import { richInflightSuite } from './rich-inflight.js';

richInflightSuite(() => startEmulatorTarget(4, { project: richProject }));
