// The rich project's scenarios against a fresh emulator of Strapi v4 serving that project.
import { startEmulatorTarget } from '../emulator-target.js';
import { richProject } from './rich-client.js';
import { richSuite } from './rich.js';
import { richI18nSuite, richUserExtensionSuite } from './rich-plugins.js';

// The project's bootstrap adds the French locale on real Strapi; bootstraps are not emulated.
const rich = { project: richProject, locales: ['en', 'fr'] };

richSuite(() => startEmulatorTarget(4, rich));
richUserExtensionSuite(() => startEmulatorTarget(4, rich));
richI18nSuite(() => startEmulatorTarget(4, rich));
