// The conformance scenarios against a fresh emulator of Strapi v5 (part of `npm test`).
import { startEmulatorTarget } from '../emulator-target.js';
import { conformanceSuite } from './scenarios.js';

conformanceSuite(() => startEmulatorTarget(5));
