// Users (never their password hash or reset/confirmation tokens) and roles with their
// permissions grouped by controller, as the admin panel's Users & Permissions screens do.
import type { Handler } from '../http/context.js';
import type { RoleRecord } from '../store/records.js';
import { html } from './html.js';
import { base, flag, page, paginate, when } from './layout.js';

const roleAnchor = (id: number) => `role-${id}`;

export const users: Handler = (ctx) => {
  const { store } = ctx;
  const v5 = ctx.major === 5;
  const roleName = (id: number | null) => {
    const role = id === null ? undefined : store.roles.get(id);
    return role ? html`<a href="${`${base}/roles#${roleAnchor(role.id)}`}">${role.name}</a>` : html`<span class="muted">none</span>`;
  };
  const { rows, pager } = paginate(store.users.all(), ctx.query);
  const body =
    store.users.size === 0
      ? html`<p class="muted">No users yet.</p>`
      : html`${pager}<table><thead><tr><th>id</th>${v5 ? html`<th>documentId</th>` : ''}<th>username</th><th>email</th><th>provider</th><th>confirmed</th><th>blocked</th><th>role</th><th>created</th></tr></thead><tbody>
${rows.map(
  (u) =>
    html`<tr><td>${u.id}</td>${v5 ? html`<td><code>${u.documentId}</code></td>` : ''}<td>${u.username}</td><td>${u.email}</td><td>${u.provider}</td><td>${flag(u.confirmed)}</td><td>${flag(u.blocked, 'blocked', 'no', true)}</td><td>${roleName(u.role)}</td><td>${when(u.createdAt)}</td></tr>`,
)}
</tbody></table>${pager}`;
  return page('users', `Users (${store.users.size})`, body);
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
