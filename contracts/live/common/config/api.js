// As create-strapi-app generates it: lists default to 25 entries and are capped at 100.
module.exports = {
  rest: {
    defaultLimit: 25,
    maxLimit: 100,
    withCount: true,
  },
};
