'use strict';

// The project's own bootstrap, as a real project has one: it adds the French locale (Strapi only
// has English out of the box), so the localized types can have a second locale.
module.exports = {
  register() {},

  async bootstrap({ strapi }) {
    const existing = await strapi.db.query('plugin::i18n.locale').findOne({ where: { code: 'fr' } });
    if (!existing) await strapi.plugin('i18n').service('locales').create({ code: 'fr', name: 'French (fr)' });
  },
};
