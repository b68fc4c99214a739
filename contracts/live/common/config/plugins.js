'use strict';

const path = require('path');

module.exports = ({ env }) => ({
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
