// The auth project's scenarios (sessions, refresh cookie, OAuth providers) against a fresh emulator of Strapi v4 serving that project.
import { startEmulatorTarget } from '../emulator-target.js';
import { authContractSuite, authProject } from './sessions.js';

authContractSuite(() => startEmulatorTarget(4, { project: authProject }));
