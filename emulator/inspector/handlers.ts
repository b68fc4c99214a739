// The inspector's pages, by the operationId spec/parts/control.ts gives them.
import type { Handler } from '../http/context.js';
import { admins } from './admins.js';
import { contentTypes, documentDetail, documentList } from './documents.js';
import { files } from './files.js';
import { outbox } from './outbox.js';
import { overview } from './overview.js';
import { requests } from './requests.js';
import { roles, users } from './users.js';

export const inspectorHandlers: Record<string, Handler> = {
  emulatorUi: overview,
  emulatorUiUsers: users,
  emulatorUiRoles: roles,
  emulatorUiAdmins: admins,
  emulatorUiDocuments: contentTypes,
  emulatorUiDocumentList: documentList,
  emulatorUiDocument: documentDetail,
  emulatorUiFiles: files,
  emulatorUiOutbox: outbox,
  emulatorUiRequests: requests,
};
