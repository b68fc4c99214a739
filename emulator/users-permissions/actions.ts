// The content-API actions a role can be granted, grouped like users-permissions'
// getActions(): `{<api or plugin uid>: {controllers: {<controller>: {<action>: {enabled,
// policy}}}}}`. Content types come from the spec's operations; the plugins' actions are the
// content-API handlers of the plugins real Strapi 4.26.2 / 5.54.0 load (read from their
// route files), in their controllers' declaration order.
import type { Major } from '../config.js';

export type ActionTree = Record<string, { controllers: Record<string, Record<string, { enabled: boolean; policy: string }>> }>;
type Catalogue = Record<string, Record<string, string[]>>;

const usersPermissions = (major: Major): Record<string, string[]> => ({
  auth:
    major === 5
      ? ['callback', 'changePassword', 'resetPassword', 'refresh', 'logout', 'getSessions', 'revokeSession', 'connect', 'forgotPassword', 'register', 'emailConfirmation', 'sendEmailConfirmation']
      : ['callback', 'changePassword', 'resetPassword', 'connect', 'forgotPassword', 'register', 'emailConfirmation', 'sendEmailConfirmation'],
  user: ['create', 'update', 'find', 'findOne', 'count', 'destroy', 'me'],
  role: ['createRole', 'findOne', 'find', 'updateRole', 'deleteRole'],
  permissions: ['getPermissions'],
});

/** Plugin actions, in the order real Strapi lists the plugins. */
export function pluginCatalogue(major: Major): Catalogue {
  const ctb = { components: ['getComponents', 'getComponent'], 'content-types': ['getContentTypes', 'getContentType'] };
  const email = { email: ['send'] };
  const upload = { 'content-api': major === 5 ? ['find', 'findPage', 'findOne', 'destroy', 'upload'] : ['find', 'findOne', 'destroy', 'upload'] };
  const i18n = { locales: ['listLocales'] };
  return major === 5
    ? { 'plugin::content-type-builder': ctb, 'plugin::email': email, 'plugin::upload': upload, 'plugin::i18n': i18n, 'plugin::users-permissions': usersPermissions(5) }
    : { 'plugin::content-type-builder': ctb, 'plugin::email': email, 'plugin::upload': upload, 'plugin::users-permissions': usersPermissions(4), 'plugin::i18n': i18n };
}

/** Every grantable action (all disabled), APIs first, then plugins. */
export function actionTree(major: Major, contentTypes: Catalogue): ActionTree {
  const tree: ActionTree = {};
  for (const [uid, controllers] of Object.entries({ ...contentTypes, ...pluginCatalogue(major) })) {
    tree[uid] = { controllers: {} };
    for (const [controller, actions] of Object.entries(controllers)) {
      tree[uid].controllers[controller] = Object.fromEntries(actions.map((a) => [a, { enabled: false, policy: '' }]));
    }
  }
  return tree;
}

/** Every action string of the tree (`plugin::users-permissions.user.me`, …). */
export function actionNames(tree: ActionTree): string[] {
  return Object.entries(tree).flatMap(([uid, { controllers }]) => Object.entries(controllers).flatMap(([c, actions]) => Object.keys(actions).map((a) => `${uid}.${c}.${a}`)));
}

/** role.findOne's tree: every action, with the role's own enabled (unknown granted actions are added, as _.set does). */
export function roleTree(base: ActionTree, granted: string[]): ActionTree {
  const tree = structuredClone(base);
  for (const action of granted) {
    const [type, controller, name] = action.split('.');
    if (!type || !controller || !name) continue;
    ((tree[type] ??= { controllers: {} }).controllers[controller] ??= {})[name] = { enabled: true, policy: '' };
  }
  return tree;
}

/** Strapi's default permissions (users-permissions DEFAULT_PERMISSIONS), by role type. */
export function defaultPermissions(major: Major): Record<string, string[]> {
  const up = (a: string) => `plugin::users-permissions.${a}`;
  return {
    public: ['auth.callback', 'auth.connect', 'auth.forgotPassword', 'auth.resetPassword', 'auth.register', 'auth.emailConfirmation', 'auth.sendEmailConfirmation', ...(major === 5 ? ['auth.refresh'] : [])].map(up),
    authenticated: [...(major === 5 ? ['auth.logout', 'auth.getSessions', 'auth.revokeSession'] : []), 'user.me', 'auth.changePassword'].map(up),
  };
}
