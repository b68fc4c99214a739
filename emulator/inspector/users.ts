// Users (never their password hash or reset/confirmation tokens) and roles with their
// permissions grouped by controller, as the admin panel's Users & Permissions screens do.
import type { Handler } from '../http/context.js';
import type { RoleRecord, UserRecord } from '../store/records.js';
import { type Html, html, raw } from './html.js';
import { base, flag, page, paginate, when } from './layout.js';

const roleAnchor = (id: number) => `role-${id}`;

const roleOptions = (roles: RoleRecord[], selected: number | null | undefined) =>
  html`${roles.map((r) => html`<option value="${r.id}"${r.id === selected ? raw(' selected') : ''}>${r.name}</option>`)}`;

/** The workbench's add form: POST /_emulator/users, as the control API and seed files write users. */
function addForm(roles: RoleRecord[], defaultRole: number | undefined): Html {
  return html`<details class="panel"><summary>Add a user</summary>
<form class="inline" data-call="POST /_emulator/users" data-done="User added.">
<label>username<input name="username" required autocomplete="off"></label>
<label>email<input name="email" type="email" required autocomplete="off"></label>
<label>password<input name="password" type="password" autocomplete="new-password"></label>
<label>role<select name="role" data-type="number">${roleOptions(roles, defaultRole)}</select></label>
<label class="check"><input name="confirmed" type="checkbox" checked>confirmed</label>
<label class="check"><input name="blocked" type="checkbox">blocked</label>
<button type="submit">Add user</button>
</form></details>`;
}

/** Per row: block/unblock and delete at once, the rest in an edit form (PUT /_emulator/users/:id). */
function actions(user: UserRecord, roles: RoleRecord[]): Html {
  const path = `/_emulator/users/${user.id}`;
  return html`<div class="actions">
<button type="button" class="quiet" data-call="${`PUT ${path}`}" data-body="${JSON.stringify({ blocked: !user.blocked })}" data-done="${user.blocked ? 'Unblocked.' : 'Blocked.'}">${user.blocked ? 'unblock' : 'block'}</button>
<button type="button" class="danger" data-call="${`DELETE ${path}`}" data-confirm="${`Delete the user ${user.username}?`}" data-done="Deleted.">delete</button>
</div>
<details><summary>edit</summary><form class="inline" data-call="${`PUT ${path}`}" data-done="Saved.">
<label>username<input name="username" value="${user.username}" required></label>
<label>email<input name="email" type="email" value="${user.email}" required></label>
<label>new password<input name="password" type="password" autocomplete="new-password" placeholder="unchanged"></label>
<label>role<select name="role" data-type="number" data-null><option value="">none</option>${roleOptions(roles, user.role)}</select></label>
<label class="check"><input name="confirmed" type="checkbox"${user.confirmed ? raw(' checked') : ''}>confirmed</label>
<button type="submit">Save</button>
</form></details>`;
}

export const users: Handler = (ctx) => {
  const { store } = ctx;
  const v5 = ctx.major === 5;
  const roles = store.roles.all();
  const roleName = (id: number | null) => {
    const role = id === null ? undefined : store.roles.get(id);
    return role ? html`<a href="${`${base}/roles#${roleAnchor(role.id)}`}">${role.name}</a>` : html`<span class="muted">none</span>`;
  };
  const q = typeof ctx.query.q === 'string' ? ctx.query.q.trim().toLowerCase() : '';
  const all = q ? store.users.all().filter((u) => u.username.toLowerCase().includes(q) || u.email.includes(q)) : store.users.all();
  const { rows, pager } = paginate(all, ctx.query);
  const search = html`<form class="inline" method="get"><label>search username or email<input name="q" value="${q}" type="search"></label><button type="submit" class="quiet">Search</button>${q ? html`<a href="${`${base}/users`}">clear</a>` : ''}</form>`;
  const body =
    all.length === 0
      ? html`<p class="muted">${q ? 'No user matches.' : 'No users yet.'}</p>`
      : html`${pager}<table><thead><tr><th>id</th>${v5 ? html`<th>documentId</th>` : ''}<th>username</th><th>email</th><th>provider</th><th>confirmed</th><th>blocked</th><th>role</th><th>created</th><th></th></tr></thead><tbody>
${rows.map(
  (u) =>
    html`<tr data-user="${u.id}"><td>${u.id}</td>${v5 ? html`<td><code>${u.documentId}</code></td>` : ''}<td>${u.username}</td><td>${u.email}</td><td>${u.provider}</td><td>${flag(u.confirmed)}</td><td>${flag(u.blocked, 'blocked', 'no', true)}</td><td>${roleName(u.role)}</td><td>${when(u.createdAt)}</td><td>${actions(u, roles)}</td></tr>`,
)}
</tbody></table>${pager}`;
  const defaultRole = store.roles.first((r) => r.type === store.advanced.default_role)?.id;
  return page('users', `Users (${store.users.size})`, html`${addForm(roles, defaultRole)}${search}${body}`);
};

/** `plugin::users-permissions.user.me` → controller `plugin::users-permissions.user`, action `me`. */
export function byController(actions: string[]): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const action of [...actions].sort()) {
    const at = action.lastIndexOf('.');
    const controller = at > 0 ? action.slice(0, at) : action;
    groups.set(controller, [...(groups.get(controller) ?? []), action.slice(at + 1)]);
  }
  return [...groups];
}

export const roles: Handler = (ctx) => {
  const { store } = ctx;
  const section = (role: RoleRecord) => {
    const actions = store.permissions.by('role', role.id).map((p) => p.action);
    const userCount = store.users.by('role', role.id).length;
    return html`<h2 id="${roleAnchor(role.id)}">${role.name} <span class="muted">· type <code>${role.type}</code> · id ${role.id} · ${userCount} ${userCount === 1 ? 'user' : 'users'}</span></h2>
<p class="muted">${role.description}</p>
<details open><summary>${actions.length} permissions</summary>
${
  actions.length === 0
    ? html`<p class="muted">No permission: every route answers 403 to this role.</p>`
    : html`<table><thead><tr><th>controller</th><th>actions</th></tr></thead><tbody>
${byController(actions).map(([controller, names]) => html`<tr><td><code>${controller}</code></td><td>${names.map((n, i) => html`${i ? ', ' : ''}<code>${n}</code>`)}</td></tr>`)}
</tbody></table>`
}
</details>`;
  };
  return page('roles', `Roles (${store.roles.size})`, html`${store.roles.all().map(section)}`);
};
