'use strict';

// Offline Strapi email provider (v4 and v5 share the provider interface): init() returns
// { send(options) }, which appends the options as one JSON line to the outbox file.
const fs = require('fs');
const path = require('path');

module.exports = {
  init(providerOptions = {}, settings = {}) {
    const file = providerOptions.file || process.env.STRAPI_LIVE_MAIL_FILE;
    if (!file) throw new Error('email-file provider: no providerOptions.file / STRAPI_LIVE_MAIL_FILE');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return {
      async send(options) {
        const mail = {
          from: settings.defaultFrom,
          replyTo: settings.defaultReplyTo,
          ...options,
          sentAt: new Date().toISOString(),
        };
        fs.appendFileSync(file, `${JSON.stringify(mail)}\n`);
      },
    };
  },
};
