// The rich project's scenarios against a fresh emulator of Strapi v5 serving that project.
import { startEmulatorTarget } from '../emulator-target.js';
import { richProject } from './rich-client.js';
import { richSuite } from './rich.js';
import { richUserExtensionSuite } from './rich-inflight.js';

richSuite(() => startEmulatorTarget(5, { project: richProject }));
richUserExtensionSuite(() => startEmulatorTarget(5, { project: richProject }));
