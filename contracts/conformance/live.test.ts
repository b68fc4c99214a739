// The conformance run against a target named by CONTRACT_TARGET (a running real Strapi, booted
// by contracts/run-live.ts, or any URL you give it).
import { targetFromEnv } from '../target.js';
import { conformanceSuite } from './scenarios.js';

conformanceSuite(async () => ({ target: targetFromEnv(), stop: async () => {} }));
