// The auth project's scenarios (sessions, refresh cookie, OAuth providers) against a fresh emulator of Strapi v4 serving that project.
import { startEmulatorTarget } from '../emulator-target.js';
import { authContractSuite, authProject } from './sessions.js';
import { authProviders } from './oauth.js';

// The project's bootstrap turns providers on in real Strapi; bootstraps are not emulated.
const auth = { project: authProject, providers: authProviders };

authContractSuite(() => startEmulatorTarget(4, auth));
