// The auth project's scenarios (sessions, refresh cookie, OAuth providers) against a fresh emulator of Strapi v5 serving that project.
import { startEmulatorTarget } from '../emulator-target.js';
import { authContractSuite, authProject } from './sessions.js';

authContractSuite(() => startEmulatorTarget(5, { project: authProject }));
