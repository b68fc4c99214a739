'use strict';

// Bound to loopback; host/port and the secrets come from the harness (contracts/live/harness.ts).
module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  app: {
    keys: env.array('APP_KEYS'),
  },
  // No update check against the network.
  logger: {
    updates: {
      enabled: false,
    },
  },
});
