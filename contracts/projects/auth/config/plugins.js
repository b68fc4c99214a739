'use strict';

// Strapi 5's session mode (Strapi 4 has no jwtManagement and ignores the key).
module.exports = () => ({
  'users-permissions': {
    config: {
      jwtManagement: 'refresh',
    },
  },
});
