// operationId → handler. At start-up every operation of the spec is bound through this map;
// bindHandlers() refuses to start when the two sets differ (a test checks it too).
import type { Operation } from '../spec/openapi.js';
import type { Major } from './config.js';
import { adminHandlers } from './admin/handlers.js';
import * as control from './control/handlers.js';
import * as documents from './documents/handlers.js';
import { inspectorHandlers } from './inspector/handlers.js';
import * as faults from './faults/control.js';
import * as i18n from './i18n/handlers.js';
import type { Handler } from './http/context.js';
import * as upload from './upload/handlers.js';
import * as auth from './users-permissions/auth.js';
import * as connect from './users-permissions/connect.js';
import * as idp from './identity-provider/consent.js';
import * as roles from './users-permissions/roles.js';
import * as users from './users-permissions/users.js';
import * as webhooks from './webhooks/control.js';

export function handlersFor(major: Major): Record<string, Handler> {
  return {
    // users-permissions
    authLocal: auth.callback,
    authLocalRegister: auth.register,
    authForgotPassword: auth.forgotPassword,
    authResetPassword: auth.resetPassword,
    authChangePassword: auth.changePassword,
    authEmailConfirmation: auth.emailConfirmation,
    authSendEmailConfirmation: auth.sendEmailConfirmation,
    authRefresh: major === 5 ? auth.refresh : auth.methodNotAllowed,
    authLogout: major === 5 ? auth.logout : auth.methodNotAllowed,
    ...(major === 5 ? { authSessions: auth.getSessions, authRevokeSession: auth.revokeSession } : {}),
    authConnect: connect.connect,
    authConnectCallback: connect.connect,
    authProviderCallback: connect.providerCallback,
    emulatorProviders: idp.providersList,
    emulatorProvidersUpdate: idp.providersUpdate,
    emulatorIdpAuthorize: idp.consentPage,
    emulatorIdpConsent: idp.consentAnswer,
    usersFind: users.find,
    usersCreate: users.create,
    usersCount: users.count,
    usersMe: users.me,
    usersFindOne: users.findOne,
    usersUpdate: users.update,
    usersDestroy: users.destroy,
    rolesFind: roles.find,
    rolesCreate: roles.createRole,
    rolesFindOne: roles.findOne,
    rolesUpdate: roles.updateRole,
    rolesDestroy: roles.deleteRole,
    permissionsFind: roles.getPermissions,
    // upload (the media library)
    uploadFiles: upload.upload,
    uploadFilesFind: upload.find,
    ...(major === 5 ? { uploadFilesFindPage: upload.findPage } : {}),
    uploadFilesFindOne: upload.findOne,
    uploadFilesDestroy: upload.destroy,
    // i18n
    i18nLocalesFind: i18n.listLocales,
    emulatorLocales: i18n.controlList,
    emulatorLocaleAdd: i18n.controlAdd,
    emulatorLocaleRemove: i18n.controlRemove,
    // the admin panel API
    ...adminHandlers(major),
    // control API
    emulatorSeedAdmin: control.seedAdmin,
    emulatorReset: control.reset,
    emulatorSnapshot: control.snapshot,
    emulatorRestore: control.restore,
    emulatorOutbox: control.outbox,
    emulatorOutboxClear: control.outboxClear,
    emulatorSeedUser: control.seedUser,
    emulatorUpdateUser: control.updateUser,
    emulatorDeleteUser: control.deleteUser,
    emulatorSeedRole: control.seedRole,
    emulatorSeedApiToken: control.seedApiToken,
    emulatorClock: control.clock,
    emulatorClockMove: control.clockMove,
    emulatorRateLimit: control.rateLimit,
    emulatorRateLimitClear: control.rateLimitClear,
    emulatorSettings: control.settings,
    emulatorSettingsUpdate: control.settingsUpdate,
    ...inspectorHandlers,
    emulatorOpenApi: control.openapi,
    emulatorWebhooks: webhooks.list,
    emulatorWebhookAdd: webhooks.add,
    emulatorWebhooksClear: webhooks.clear,
    emulatorWebhookRemove: webhooks.remove,
    emulatorWebhookDeliveries: webhooks.deliveries,
    emulatorWebhookDeliveriesClear: webhooks.deliveriesClear,
    emulatorFaults: faults.list,
    emulatorFaultAdd: faults.add,
    emulatorFaultsClear: faults.clear,
    emulatorFaultRemove: faults.remove,
  };
}

const documentHandlers: Record<string, Handler> = {
  find: documents.find,
  findOne: documents.findOne,
  create: documents.create,
  update: documents.update,
  delete: documents.destroy,
  // v4 i18n: POST …/localizations of a localized type.
  createLocalization: i18n.createLocalization,
};

/**
 * Binds every operation of the spec. Document operations (`x-strapi-content-type`) are bound
 * by their action (find/findOne/create/update/delete), whatever the content type is called.
 */
export function bindHandlers(major: Major, operations: Operation[]): Record<string, Handler> {
  const named = handlersFor(major);
  const bound: Record<string, Handler> = {};
  const unbound: string[] = [];
  for (const op of operations) {
    const action = op['x-strapi-action']?.split('.').pop();
    const handler = op['x-strapi-content-type'] ? documentHandlers[action ?? ''] : named[op.operationId];
    if (handler) bound[op.operationId] = handler;
    else unbound.push(op.operationId);
  }
  if (unbound.length) throw new Error(`emulator: no handler for the spec operations ${unbound.join(', ')}`);
  const unused = Object.keys(named).filter((id) => !(id in bound));
  if (unused.length) throw new Error(`emulator: handlers for operations the spec does not have: ${unused.join(', ')}`);
  return bound;
}
