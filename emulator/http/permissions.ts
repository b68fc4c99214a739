// Authorization: the operation's `x-strapi-action` against what the caller may do.
// A role (Public or the user's) may call the actions it was granted; a full-access token
// anything; a read-only token the actions ending in `find`/`findOne`; a custom token the
// actions listed on it. Anything else → 403 "Forbidden", details {}.
import type { Caller } from './context.js';
import { ForbiddenError } from './errors.js';

const isReadScope = (action: string) => action.endsWith('find') || action.endsWith('findOne');

export function can(caller: Caller, action: string): boolean {
  if (caller.kind !== 'apiToken') return caller.actions.has(action);
  switch (caller.token.type) {
    case 'full-access':
      return true;
    case 'read-only':
      return isReadScope(action);
    case 'custom':
      return caller.token.permissions.includes(action);
  }
}

export function authorize(caller: Caller, action: string): void {
  if (!can(caller, action)) throw new ForbiddenError('Forbidden');
}
