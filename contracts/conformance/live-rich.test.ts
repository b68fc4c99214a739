// The rich project's scenarios against a running real
// Strapi booted with contracts/projects/rich, named by CONTRACT_TARGET (see contracts/run.ts).
import { targetFromEnv } from '../target.js';
import { richSuite } from './rich.js';
import { richI18nSuite, richUserExtensionSuite } from './rich-plugins.js';

richSuite(async () => ({ target: targetFromEnv(), stop: async () => {} }));
richUserExtensionSuite(async () => ({ target: targetFromEnv(), stop: async () => {} }));
richI18nSuite(async () => ({ target: targetFromEnv(), stop: async () => {} }));
