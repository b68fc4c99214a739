// createEmulator(options) → { app, store, control, major }: a stateful Strapi 4 or 5 REST
// API as a Hono app. Serve it with @hono/node-server (emulator/server.ts), plug it into MSW
// (emulator/msw.ts), or call app.request() directly.
import { join } from 'node:path';
import type { Hono } from 'hono';
import { type ApiTokenSeed, type Config, type EmulatorOptions, type Major, type SpecDocument, resolveConfig } from './config.js';
import { bindHandlers } from './handlers.js';
import { buildSpec, defaultContentTypesDir } from '../spec/build.js';
import { loadStrapiSchemas } from '../spec/content-types.js';
import { type PluginExtensions, addedAttributes, droppedAttributeWarnings, loadPluginExtensions, withExtensions } from '../spec/extensions.js';
import { FILE, ROLE, fileModel } from './documents/models.js';
import { roleModel } from './users-permissions/users.js';
import { checkCustomFieldMap } from '../spec/custom-fields.js';
import { type Project, loadProject, withProjectConfig } from './project/index.js';
import { installContent } from './documents/state.js';
import { installLocales } from './i18n/locales.js';
import { installAdmin } from './admin/state.js';
import { seedAdmin } from './admin/users.js';
import { OAuthState } from './identity-provider/state.js';
import { installRequestLog } from './inspector/log.js';
import { type Core, type RequestHook, createHonoApp } from './http/app.js';
import { loadSeedPermissions, publicGrants, seedDefaults, servedActionsOnly } from './seed.js';
import { createServices, type Services } from './services.js';
import { loadSpec, specRoutes } from './spec.js';
import { Store, type Mail, type StoreSnapshot } from './store/store.js';
import { defaultEmailTemplates } from './users-permissions/outbox.js';
import { type Fault, type FaultSpec, Faults, attachFaults } from './faults/faults.js';
import { type Delivery, type Webhook, type WebhookSeed, installWebhooks } from './webhooks/hub.js';
import { ControlGuard } from './control/guard.js';

export type { ApiTokenSeed, EmulatorOptions, Major } from './config.js';
export type { Mail, StoreSnapshot } from './store/store.js';
export type { Exchange, RequestHook } from './http/app.js';
export type { Delivery, Webhook, WebhookEvent, WebhookSeed } from './webhooks/hub.js';
export type { Fault, FaultSpec } from './faults/faults.js';

/** The same operations as the /_emulator HTTP API, in-process. */
export type Control = {
  ready: Promise<void>;
  reset(opts?: { clock?: boolean }): Promise<void>;
  /** The world; its rows are the stored records, frozen (copy one before changing it: `structuredClone`). */
  snapshot(): StoreSnapshot;
  restore(snapshot: StoreSnapshot): Promise<void>;
  outbox(to?: string): Mail[];
  clearOutbox(): void;
  /** Moves the emulated time forward by `ms`. */
  advanceClock(ms: number): void;
  setClock(at: number | Date | string): void;
  now(): Date;
  rateLimitState(): Array<{ key: string; counter: number; remaining: number; reset: number }>;
  clearRateLimit(): void;
  /** Webhooks (/_emulator/webhooks): part of the world — snapshot/restore carry them, reset() brings back the configured ones. */
  webhooks: {
    list(): Webhook[];
    add(webhook: WebhookSeed): Webhook;
    remove(id: number): boolean;
    clear(): void;
    /** Recent deliveries, oldest first (emptied by reset and restore). */
    deliveries(): Delivery[];
    clearDeliveries(): void;
    /** Resolves once every queued delivery is done. */
    settled(): Promise<void>;
  };
  /** Fault injection (/_emulator/faults): not part of the world — reset() clears them, snapshot/restore leave them. */
  faults: {
    list(): Fault[];
    add(fault: FaultSpec): Fault;
    remove(id: number): boolean;
    clear(): void;
  };
};

export type Emulator = {
  app: Hono;
  store: Store;
  control: Control;
  major: Major;
  config: Config;
  services: Services;
  spec: SpecDocument;
  /** Resolves when the seed is in place (requests wait for it on their own). */
  ready: Promise<void>;
  /** Adds a hook that sees every request (see RequestHook), after the others or, `first`, before them; returns a function that removes it. */
  use(hook: RequestHook, opts?: { first?: boolean }): () => void;
  /** The Strapi project served (`project` option): its root, config, what is not emulated. */
  project?: Project;
  /** Who may drive the control API and the inspector (emulator/control/guard.ts). */
  guard: ControlGuard;
};

/** Refuses bad API token seeds at once (the seed itself runs asynchronously). */
function checkApiTokens(tokens: ApiTokenSeed[]): void {
  const seen = new Set<string>();
  for (const t of tokens) {
    if (!t || typeof t.accessKey !== 'string' || t.accessKey === '') throw new TypeError('apiTokens: every token needs a non-empty accessKey string');
    if (!['read-only', 'full-access', 'custom'].includes(t.type)) throw new TypeError(`apiTokens: type must be read-only, full-access or custom, got ${String(t.type)}`);
    if (seen.has(t.accessKey)) throw new TypeError('apiTokens: two tokens share one accessKey');
    seen.add(t.accessKey);
  }
}

/**
 * The role and file models keep only their own attributes: what an extension adds to them is
 * not stored or answered yet. Said once at start rather than silently dropped.
 */
function unemulatedExtensions(extensions: PluginExtensions, major: Major): string[] {
  const own: Record<string, string[]> = { [ROLE]: Object.keys(roleModel(major).attributes), [FILE]: Object.keys(fileModel(major).attributes) };
  const lines: string[] = [];
  for (const [uid, names] of Object.entries(own)) {
    const ext = extensions[uid as keyof PluginExtensions];
    const added = Object.keys(addedAttributes(ext, names));
    if (added.length) lines.push(`${ext!.file}: not emulated: the attributes ${added.join(', ')} that it adds to ${uid}`);
  }
  return lines;
}

export function createEmulator(given: EmulatorOptions = {}): Emulator {
  const warn = given.onWarning ?? ((line: string) => console.warn(`[strapi-emulator] ${line}`));
  const project = given.project !== undefined ? loadProject(given.project) : undefined;
  const options = project ? { ...withProjectConfig(given, project), project: project.root } : given;
  const config = resolveConfig(options);
  checkApiTokens(options.apiTokens ?? []);
  const guard = new ControlGuard(options.controlToken);
  if (options.customFields) checkCustomFieldMap(options.customFields);
  // Content types: the project's and the given folders; the default article only when there are none.
  const dirs = [...(project ? [project.src] : []), ...(options.contentTypes ?? [])];
  const loaded = loadStrapiSchemas(dirs.length ? dirs : [defaultContentTypesDir], { customFields: options.customFields });
  // Plugin extensions (the project's src/extensions, or the folder given) change the plugin models and so the spec.
  const extensionsDir = options.extensions ?? (project ? join(project.src, 'extensions') : undefined);
  const extensions = extensionsDir ? loadPluginExtensions(extensionsDir) : {};
  const extended = Object.keys(extensions).length > 0;
  const schemas = extended ? withExtensions(loaded, extensions) : loaded;
  const spec = options.spec ?? (dirs.length || extended ? (buildSpec(config.major, schemas) as unknown as SpecDocument) : loadSpec(config.major));
  for (const line of [...(project?.warnings ?? []), ...(schemas.warnings ?? [])]) warn(`warning: ${line}`);
  for (const line of [...droppedAttributeWarnings(extensions), ...unemulatedExtensions(extensions, config.major)]) warn(line);
  if (project?.notEmulated.length) warn(`not emulated: ${project.notEmulated.join('; ')}`);
  const routes = specRoutes(spec);
  const handlers = bindHandlers(config.major, routes.operations);
  const store = new Store({
    clock: options.clock,
    advanced: {
      unique_email: true,
      allow_register: true,
      email_confirmation: options.emailConfirmation ?? false,
      email_reset_password: options.emailResetPasswordUrl ?? null,
      email_confirmation_redirection: options.emailConfirmationRedirection ?? null,
      default_role: 'authenticated',
    },
    emailTemplates: defaultEmailTemplates,
    apiTokenSalt: options.apiTokenSalt,
    encryptionKey: options.encryptionKey,
  });
  installContent(store, { major: config.major, schemas, rest: options.rest });
  installLocales(store, { major: config.major, locales: options.locales });
  OAuthState.attach(store, config.serverUrl ?? '', options.providers);
  const webhooks = installWebhooks(store, { major: config.major, seeds: options.webhooks });
  const services = createServices(config, store, routes.operations, spec);
  const served = schemas.contentTypes.map((c) => ({ uid: c.uid, kind: c.kind }));
  // A project starts as a fresh install of it does: Strapi's default permissions only.
  const extraPermissions = options.seedPermissions ?? (project ? {} : servedActionsOnly(loadSeedPermissions(), served));
  if (options.publicActions?.length) extraPermissions.public = [...(extraPermissions.public ?? []), ...publicGrants(options.publicActions, served)];
  const admins = installAdmin(store, config.major);
  const ready = Promise.all([admins, seedDefaults(store, {
    major: config.major,
    extraPermissions,
    apiTokens: options.apiTokens ?? [],
  })])
    .then(async () => {
      for (const admin of options.admins ?? []) await seedAdmin({ store, services, major: config.major }, admin);
    })
    .then(() => store.markSeed());
  // Keep an unobserved seeding failure from crashing the process; requests re-throw it.
  ready.catch(() => undefined);
  const core: Core = {
    config,
    store,
    services,
    routes,
    handlers,
    ready,
    onError: (error, request) => console.error(`[strapi-emulator] ${request.method} ${new URL(request.url).pathname} → 500:`, error),
    onStrapiCrash: options.onStrapiCrash ?? ((why, request) => console.warn(`[strapi-emulator] ${request.method} ${new URL(request.url).pathname} → 500 as real Strapi ${config.major} answers: ${why}`)),
    hooks: [],
    ...(project?.actions.size ? { actions: project.actions } : {}),
  };
  const use = (hook: RequestHook, opts: { first?: boolean } = {}) => {
    if (core.hooks.some((h) => h.name === hook.name)) throw new Error(`a hook named "${hook.name}" is already in use`);
    if (opts.first) core.hooks.unshift(hook);
    else core.hooks.push(hook);
    return () => {
      const at = core.hooks.indexOf(hook);
      if (at >= 0) core.hooks.splice(at, 1);
    };
  };
  // First of all: a refused control request reaches nothing else (the request log still sees it).
  use(guard.hook);
  // The inspector's recent requests (/_emulator/ui/requests): bounded, outside snapshots.
  use(installRequestLog(store).hook);
  const faults = attachFaults(store, new Faults(use));
  for (const hook of options.hooks ?? []) use(hook);
  const control: Control = {
    ready,
    reset: async (opts) => {
      await ready;
      await store.reset(opts);
      faults.clear();
    },
    snapshot: () => store.snapshot(),
    restore: (s) => store.restore(s),
    outbox: (to) => (to === undefined ? [...store.outbox] : store.outbox.filter((m) => m.to === to)),
    clearOutbox: () => {
      store.outbox = [];
    },
    advanceClock: (ms) => store.clock.advance(ms),
    setClock: (at) => store.clock.set(at),
    now: () => new Date(store.clock.now()),
    rateLimitState: () => {
      const now = store.clock.now();
      return [...store.rateLimit.entries()]
        .filter(([, hit]) => hit.dateEnd > now)
        .map(([key, hit]) => ({ key, counter: hit.counter, remaining: Math.max(config.rateLimit.max - hit.counter, 0), reset: Math.ceil(hit.dateEnd / 1000) }));
    },
    clearRateLimit: () => store.rateLimit.clear(),
    webhooks: {
      list: () => webhooks.list(),
      add: (w) => webhooks.add(w),
      remove: (id) => webhooks.remove(id),
      clear: () => webhooks.clear(),
      deliveries: () => webhooks.deliveries(),
      clearDeliveries: () => webhooks.clearDeliveries(),
      settled: () => webhooks.settled(),
    },
    faults: {
      list: () => faults.list(),
      add: (f) => faults.add(f),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
  };
  return { app: createHonoApp(core), store, control, major: config.major, config, services, spec, ready, use, guard, ...(project ? { project } : {}) };
}
