// Admin panel accounts (admin::user) and admin roles: a store apart from the end-users of the
// Users page, as in Strapi. Never a password hash or a registration token, only whether one is set.
import type { Handler } from '../http/context.js';
import { adminOf } from '../admin/state.js';
import { html } from './html.js';
import { flag, page, paginate, when } from './layout.js';

export const admins: Handler = (ctx) => {
  const state = adminOf(ctx.store);
  const { rows, pager } = paginate(state.users.all(), ctx.query);
  const roleNames = (ids: number[]) => ids.map((id, i) => html`${i ? ', ' : ''}${state.roles.get(id)?.name ?? `#${id}`}`);
  const users =
    state.users.size === 0
      ? html`<p class="muted">No admin yet: <code>POST /admin/register-admin</code> creates the first (Super Admin), or <code>--admin email:password</code> / <code>POST /_emulator/admins</code>.</p>`
      : html`${pager}<table><thead><tr><th>id</th><th>email</th><th>name</th><th>active</th><th>blocked</th><th>invited (no password yet)</th><th>roles</th><th>created</th></tr></thead><tbody>
${rows.map(
  (u) =>
    html`<tr><td>${u.id}</td><td>${u.email}</td><td>${[u.firstname, u.lastname].filter(Boolean).join(' ')}</td><td>${flag(u.isActive)}</td><td>${flag(u.blocked, 'blocked', 'no', true)}</td><td>${u.password === null ? 'yes' : 'no'}</td><td>${roleNames(u.roles)}</td><td>${when(u.createdAt)}</td></tr>`,
)}
</tbody></table>${pager}`;
  const roles = html`<table><thead><tr><th>id</th><th>name</th><th>code</th><th>admins</th><th>description</th></tr></thead><tbody>
${state.roles.all().map((r) => html`<tr><td>${r.id}</td><td>${r.name}</td><td><code>${r.code}</code></td><td>${state.users.count((u) => u.roles.includes(r.id))}</td><td class="muted">${r.description}</td></tr>`)}
</tbody></table>`;
  return page(
    'admins',
    `Admins (${state.users.size})`,
    html`<p class="muted">Admin panel accounts (<code>/admin/*</code>, admin JWTs): apart from the end-users of the Users page, who sign in on <code>/api/auth/*</code>.</p>
${users}<h2>Admin roles</h2>${roles}`,
  );
};
