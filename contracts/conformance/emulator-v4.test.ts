// The conformance scenarios against a fresh emulator of Strapi v4 (part of `npm test`).
import { startEmulatorTarget } from '../emulator-target.js';
import { conformanceSuite } from './scenarios.js';

conformanceSuite(() => startEmulatorTarget(4));
