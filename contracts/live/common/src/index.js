'use strict';

// Bootstrap of the real test apps (Strapi 4 and 5). At every boot:
// - grants the actions of spec/seed/permissions.json (STRAPI_LIVE_PERMISSIONS_FILE), on top of
//   Strapi's own default users-permissions permissions, to the roles of those types;
// - creates a full-access and a read-only API token and writes their plain access keys to
//   STRAPI_LIVE_TOKENS_FILE (a key is only readable in clear when it is created);
// - exits when the harness process that started it (STRAPI_LIVE_PARENT_PID) is gone;
// - runs the register/bootstrap of the project it was given (src/project-index.js, written by the
//   harness from the project's src/index), e.g. a project's own custom fields.
const fs = require('fs');
const path = require('path');

function projectIndex() {
  const file = path.join(__dirname, 'project-index.js');
  if (!fs.existsSync(file)) return {};
  const mod = require(file);
  return (mod && mod.__esModule ? mod.default : mod) || {};
}
const project = projectIndex();

// Custom fields of plugins not installed in the test app, as {uid: underlying type} (see
// missingCustomFields in harness.ts). Strapi resolves custom fields right after the register
// phase, so they are added to its registry here, keyed by the plugin's uid (the registry's own
// add() would key them global:: when the plugin is absent).
function registerMissingCustomFields(strapi) {
  const file = path.join(__dirname, 'custom-fields.json');
  if (!fs.existsSync(file)) return;
  const registry = strapi.container ? strapi.container.get('custom-fields') : strapi.get('custom-fields');
  const all = registry.getAll();
  for (const [uid, type] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')))) {
    if (all[uid]) continue;
    const [, plugin, name] = /^(?:plugin::([^.]+)\.|global::)(.+)$/.exec(uid) || [];
    all[uid] = { name: name || uid, plugin, type };
  }
}

const STRAPI_MAJOR = Number(require('@strapi/strapi/package.json').version.split('.')[0]);

const TOKENS = [
  { key: 'fullAccess', name: 'contract-full-access', type: 'full-access' },
  { key: 'readOnly', name: 'contract-read-only', type: 'read-only' },
];

function watchParent() {
  const parent = Number(process.env.STRAPI_LIVE_PARENT_PID);
  if (!parent) return;
  setInterval(() => {
    let alive = process.ppid === parent;
    if (alive) {
      try {
        process.kill(parent, 0);
      } catch {
        alive = false;
      }
    }
    if (!alive) process.exit(0);
  }, 1000).unref();
}

async function grantSeedPermissions(strapi) {
  const file = process.env.STRAPI_LIVE_PERMISSIONS_FILE;
  if (!file) return;
  const seed = JSON.parse(fs.readFileSync(file, 'utf8'));
  const roles = strapi.db.query('plugin::users-permissions.role');
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  for (const [type, actions] of Object.entries(seed)) {
    if (type.startsWith('$') || !Array.isArray(actions)) continue;
    const role = await roles.findOne({ where: { type } });
    if (!role) throw new Error(`seed permissions: no users-permissions role of type "${type}"`);
    for (const action of actions) {
      const existing = await permissions.findOne({ where: { action, role: role.id } });
      if (!existing) await permissions.create({ data: { action, role: role.id } });
    }
  }
}

async function createApiTokens(strapi) {
  const file = process.env.STRAPI_LIVE_TOKENS_FILE;
  if (!file) return;
  const service = strapi.service('admin::api-token');
  const out = {};
  for (const { key, name, type } of TOKENS) {
    // Plain keys cannot be read back from an existing token: replace it.
    const existing = await strapi.db.query('admin::api-token').findOne({ where: { name } });
    if (existing) await service.revoke(existing.id);
    const attributes = { name, description: `contract suite (${type})`, type, lifespan: null };
    // Strapi 5.x (since admin tokens) needs the token kind; Strapi 4 has no such field.
    if (STRAPI_MAJOR >= 5) attributes.kind = 'content-api';
    const token = await service.create(attributes);
    if (!token || !token.accessKey) throw new Error(`api token ${name}: no accessKey returned`);
    out[key] = token.accessKey;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(out, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

module.exports = {
  async register(ctx) {
    watchParent();
    if (typeof project.register === 'function') await project.register(ctx);
    registerMissingCustomFields(ctx.strapi);
  },

  async bootstrap(ctx) {
    const { strapi } = ctx;
    await grantSeedPermissions(strapi);
    await createApiTokens(strapi);
    if (typeof project.bootstrap === 'function') await project.bootstrap(ctx);
  },
};
