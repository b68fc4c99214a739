// Not Strapi's defaults on purpose: the contract scenarios check that both real Strapi and the
// emulator take a project's own REST settings.
module.exports = {
  rest: {
    defaultLimit: 10,
    maxLimit: 50,
    withCount: true,
  },
};
