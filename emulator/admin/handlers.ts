// The admin plugin's operationId → handler map (emulator/handlers.ts merges it).
import type { Major } from '../config.js';
import type { Handler } from '../http/context.js';
import * as apiTokens from './api-tokens.js';
import * as users from './users.js';
import * as webhooks from './webhooks.js';

export function adminHandlers(major: Major): Record<string, Handler> {
  return {
    adminInit: users.init,
    adminRegisterAdmin: users.registerAdmin,
    adminLogin: users.login,
    ...(major === 5 ? { adminAccessToken: users.accessToken } : { adminRenewToken: users.renewToken }),
    adminLogout: users.logout,
    adminUsersMe: users.me,
    adminUsersMeUpdate: users.updateMe,
    adminUsersFind: users.find,
    adminUsersCreate: users.create,
    adminUsersFindOne: users.findOne,
    adminUsersUpdate: users.update,
    adminUsersDestroy: users.destroy,
    adminRolesFind: users.rolesFind,
    adminRolesFindOne: users.rolesFindOne,
    adminApiTokensList: apiTokens.list,
    adminApiTokensCreate: apiTokens.create,
    adminApiTokensGet: apiTokens.get,
    adminApiTokensUpdate: apiTokens.update,
    adminApiTokensRevoke: apiTokens.revoke,
    adminApiTokensRegenerate: apiTokens.regenerate,
    adminWebhooksList: webhooks.list,
    adminWebhooksCreate: webhooks.create,
    adminWebhooksGet: webhooks.get,
    adminWebhooksUpdate: webhooks.update,
    adminWebhooksDelete: webhooks.destroy,
  };
}
