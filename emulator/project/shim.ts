// What a project's files get for `require('@strapi/strapi')` and `require('@strapi/utils')`:
// the factories answer plain descriptions of what the file asks for (a core router and its
// per-action config, a core controller or service and whether it overrides anything), and
// the errors are the emulator's own, so a policy or middleware that throws one gets Strapi's
// envelope.
import { ApplicationError, ForbiddenError, NotFoundError, PaginationError, StrapiError, UnauthorizedError, ValidationError, type ErrorDetails } from '../http/errors.js';

export class PolicyError extends StrapiError {
  constructor(message = 'Policy Failed', details: ErrorDetails = {}) {
    super(403, 'PolicyError', message, details);
  }
}

export type CoreRouter = { kind: 'core-router'; uid: string; config: Record<string, unknown>; only?: string[]; except?: string[]; prefix?: string };
export type CoreFactory = { kind: 'core-controller' | 'core-service'; uid: string; overrides: boolean };

export const isCoreRouter = (v: unknown): v is CoreRouter => (v as CoreRouter)?.kind === 'core-router';
export const isCoreFactory = (v: unknown): v is CoreFactory => ['core-controller', 'core-service'].includes((v as CoreFactory)?.kind);

const factories = {
  createCoreRouter: (uid: string, options: { config?: Record<string, unknown>; only?: string[]; except?: string[]; prefix?: string } = {}): CoreRouter => ({ kind: 'core-router', uid, config: options.config ?? {}, only: options.only, except: options.except, prefix: options.prefix }),
  createCoreController: (uid: string, extend?: unknown): CoreFactory => ({ kind: 'core-controller', uid, overrides: extend !== undefined }),
  createCoreService: (uid: string, extend?: unknown): CoreFactory => ({ kind: 'core-service', uid, overrides: extend !== undefined }),
};

const errors = { ApplicationError, ValidationError, PaginationError, NotFoundError, ForbiddenError, UnauthorizedError, PolicyError };

export const strapiShims: Record<string, unknown> = {
  '@strapi/strapi': { factories, default: { factories } },
  '@strapi/utils': { errors, default: { errors } },
};
