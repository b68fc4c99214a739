// The per-emulator services handlers use (one set per createEmulator(), no singletons).
import type { Operation } from '../spec/openapi.js';
import type { Config, SpecDocument } from './config.js';
import { contentTypeActions } from './spec.js';
import type { Store } from './store/store.js';
import { type ActionTree, actionTree } from './users-permissions/actions.js';
import { JwtService } from './users-permissions/jwt.js';
import { Mailer } from './users-permissions/outbox.js';
import { Passwords } from './users-permissions/passwords.js';
import { SessionManager } from './users-permissions/sessions.js';
import { UserService } from './users-permissions/user-service.js';

export type Services = {
  jwt: JwtService;
  sessions: SessionManager;
  passwords: Passwords;
  users: UserService;
  mailer: Mailer;
  /** Every grantable action, all disabled (GET /users-permissions/permissions). */
  actions: ActionTree;
  /** The OpenAPI document served (GET /openapi.json). */
  spec: SpecDocument;
};

export function createServices(config: Config, store: Store, operations: Operation[], spec: SpecDocument): Services {
  const jwt = new JwtService(config.jwtSecret, config.jwtExpiresInSeconds, store.clock, config.major, config.jwtAlgorithm);
  const passwords = new Passwords(config.bcryptCost);
  const users = new UserService(store, config.major, passwords);
  return {
    jwt,
    sessions: new SessionManager(store, jwt, config.sessions),
    passwords,
    users,
    mailer: new Mailer(store, users),
    actions: actionTree(config.major, contentTypeActions(operations)),
    spec,
  };
}
