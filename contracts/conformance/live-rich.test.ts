// The rich project's scenarios (all of them, those of work in flight too) against a running real
// Strapi booted with contracts/projects/rich, named by CONTRACT_TARGET (see contracts/run.ts).
import { targetFromEnv } from '../target.js';
import { richSuite } from './rich.js';
import { richInflightSuite, richUserExtensionSuite } from './rich-inflight.js';

richSuite(async () => ({ target: targetFromEnv(), stop: async () => {} }));
richUserExtensionSuite(async () => ({ target: targetFromEnv(), stop: async () => {} }));
richInflightSuite(async () => ({ target: targetFromEnv(), stop: async () => {} }));
