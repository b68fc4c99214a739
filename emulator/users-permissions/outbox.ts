// The email plugin with a provider that keeps every mail: what forgot-password and the
// email confirmation send, readable through the control API (GET /_emulator/outbox). The
// mail has the shape the real test apps' file provider records ({from, replyTo, to,
// subject, text, html, sentAt}), so one scenario can read either.
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { UserRecord } from '../store/records.js';
import type { UserService } from './user-service.js';

/** users-permissions' email templates, as its bootstrap writes them. */
export const defaultEmailTemplates = {
  reset_password: {
    from: { name: 'Administration Panel', email: 'no-reply@strapi.io' },
    response_email: '',
    object: 'Reset password',
    message: `<p>We heard that you lost your password. Sorry about that!</p>

<p>But don’t worry! You can use the following link to reset your password:</p>
<p><%= URL %>?code=<%= TOKEN %></p>

<p>Thanks.</p>`,
  },
  email_confirmation: {
    from: { name: 'Administration Panel', email: 'no-reply@strapi.io' },
    response_email: '',
    object: 'Account confirmation',
    message: `<p>Thank you for registering!</p>

<p>You have to confirm your email address. Please click on the link below.</p>

<p><%= URL %>?confirmation=<%= CODE %></p>

<p>Thanks.</p>`,
  },
};

/** lodash `_.template` interpolation (`<%= USER.email %>`); null and undefined print as ''. */
export function renderTemplate(layout: string, data: Record<string, unknown>): string {
  return layout.replace(/<%=([\s\S]+?)%>/g, (_, expr: string) => {
    let value: unknown = data;
    for (const part of expr.trim().split('.')) value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[part];
    return value === null || value === undefined ? '' : String(value);
  });
}

/** The user fields a template may use (defaultSanitizeOutput: no private fields). */
function templateUser(user: UserRecord): Record<string, unknown> {
  const { password: _p, resetPasswordToken: _r, confirmationToken: _c, ...rest } = user;
  return rest;
}

export class Mailer {
  constructor(
    private readonly store: Store,
    private readonly users: UserService,
  ) {}

  private send(mail: { to: string; from?: string; replyTo: string; subject: string; text: string; html: string }): void {
    this.store.outbox.push({ ...(mail.from !== undefined ? { from: mail.from } : {}), replyTo: mail.replyTo, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, sentAt: this.store.now() });
  }

  /** forgot-password: a 128-hex-character code, saved on the user before the mail goes out. */
  async sendResetPassword(user: UserRecord): Promise<string> {
    const token = randomBytes(64).toString('hex');
    const t = this.store.emailTemplates.reset_password;
    const body = renderTemplate(t.message, { URL: this.store.advanced.email_reset_password, USER: templateUser(user), TOKEN: token });
    await this.users.patch(user.id, { resetPasswordToken: token });
    this.send({
      to: user.email,
      from: t.from.email || t.from.name ? `${t.from.name} <${t.from.email}>` : undefined,
      replyTo: t.response_email,
      subject: renderTemplate(t.object, { USER: templateUser(user) }),
      text: body,
      html: body,
    });
    return token;
  }

  /** The email confirmation link: `<server>/api/auth/email-confirmation?confirmation=<40 hex>`. */
  async sendConfirmation(user: UserRecord, serverUrl: string): Promise<string> {
    const token = randomBytes(20).toString('hex');
    await this.users.patch(user.id, { confirmationToken: token });
    const t = this.store.emailTemplates.email_confirmation;
    const body = renderTemplate(t.message, { URL: `${serverUrl}/api/auth/email-confirmation`, USER: templateUser(user), CODE: token });
    this.send({
      to: user.email,
      from: t.from.email && t.from.name ? `${t.from.name} <${t.from.email}>` : undefined,
      replyTo: t.response_email,
      subject: renderTemplate(t.object, { USER: templateUser(user) }),
      text: body,
      html: body,
    });
    return token;
  }
}
