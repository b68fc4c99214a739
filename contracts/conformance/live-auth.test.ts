// The auth project's scenarios against a running real Strapi booted with contracts/projects/auth,
// named by CONTRACT_TARGET (see contracts/run.ts).
import { targetFromEnv } from '../target.js';
import { authContractSuite } from './sessions.js';

authContractSuite(async () => ({ target: targetFromEnv(), stop: async () => {} }));
