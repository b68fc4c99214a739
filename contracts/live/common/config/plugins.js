'use strict';

const fs = require('fs');
const path = require('path');

// Of a project's own config/plugins (project-plugins.js, written by the harness), the sections of
// the plugins every test app has and that change REST answers; the harness's own settings (email
// provider, JWT secret) win. Other plugins of a project are not installed here.
const PROJECT_PLUGINS = ['users-permissions', 'i18n', 'upload'];

function projectPlugins(ctx) {
  const file = path.join(__dirname, 'project-plugins.js');
  if (!fs.existsSync(file)) return {};
  let mod = require(file);
  if (mod && mod.__esModule) mod = mod.default;
  const all = (typeof mod === 'function' ? mod(ctx) : mod) || {};
  return Object.fromEntries(PROJECT_PLUGINS.filter((name) => all[name]).map((name) => [name, all[name]]));
}

module.exports = (ctx) => {
  const own = harnessPlugins(ctx);
  const project = projectPlugins(ctx);
  for (const [name, section] of Object.entries(project)) {
    const mine = own[name] || {};
    own[name] = { ...section, ...mine, config: { ...(section.config || {}), ...(mine.config || {}) } };
  }
  return own;
};

const harnessPlugins = ({ env }) => ({
  // An offline email provider: Strapi `require`s the provider by this absolute path (there is no
  // @strapi/provider-email-<name> for it). It appends every mail as one JSON line to
  // STRAPI_LIVE_MAIL_FILE, so forgot-password answers {"ok":true} and the reset code can be read.
  email: {
    config: {
      provider: path.resolve(__dirname, '..', 'providers', 'email-file'),
      providerOptions: {
        file: env('STRAPI_LIVE_MAIL_FILE'),
      },
      settings: {
        defaultFrom: 'no-reply@strapi.test',
        defaultReplyTo: 'no-reply@strapi.test',
      },
    },
  },
  // Shared with the emulator when it has to accept the same JWTs.
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET'),
    },
  },
});
