'use strict';

// The project's own bootstrap: turns on two OAuth providers in users-permissions' grant settings
// (what Settings → Providers saves), with a front end's redirect URL as their callback. The
// contract scenarios follow Strapi's redirects from there; the emulator takes the same settings
// as its `providers` option (bootstraps are not emulated).
const PROVIDERS = {
  github: { enabled: true, key: 'contract-github-client', secret: 'contract-github-secret', callback: 'http://localhost:3000/connect/github/redirect' },
  google: { enabled: true, key: 'contract-google-client', secret: 'contract-google-secret', callback: 'http://localhost:3000/connect/google/redirect' },
};

module.exports = {
  // Read by the emulator target too (contracts/conformance/auth-emulator-*.test.ts).
  providers: PROVIDERS,
  register() {},
  async bootstrap({ strapi }) {
    const store = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'grant' });
    const grant = (await store.get()) || {};
    for (const [name, settings] of Object.entries(PROVIDERS)) grant[name] = { ...grant[name], ...settings };
    await store.set({ value: grant });
  },
};
