// The emails "sent" (forgot-password, email confirmation), newest first, with their links
// clickable and the reset or confirmation code pulled out: the step a developer is usually
// looking for. The HTML body is shown as text (never rendered: it is built from user input).
import type { Handler } from '../http/context.js';
import type { Mail } from '../store/store.js';
import { html, linkify, textOfHtml } from './html.js';
import { page, when } from './layout.js';

/** The `code` of a reset-password mail or the `confirmation` of a confirmation mail. */
export function codesOf(mail: Mail): Array<{ name: string; value: string }> {
  const found = new Map<string, string>();
  for (const m of `${mail.text}\n${mail.html}`.matchAll(/[?&](code|confirmation)=([A-Za-z0-9_-]+)/g)) found.set(m[1], m[2]);
  return [...found].map(([name, value]) => ({ name, value }));
}

export const outbox: Handler = (ctx) => {
  const mails = [...ctx.store.outbox].reverse();
  const body =
    mails.length === 0
      ? html`<p class="muted">No email sent yet (forgot-password and email confirmation send one).</p>`
      : html`${mails.map((mail) => {
          const text = textOfHtml(mail.html || mail.text);
          const links = text.match(/https?:\/\/\S+/) !== null;
          return html`<div class="mail"><dl>
<dt>to</dt><dd><b>${mail.to}</b></dd>
<dt>subject</dt><dd>${mail.subject}</dd>
<dt>from</dt><dd>${mail.from ?? '—'}</dd>
<dt>sent</dt><dd>${when(mail.sentAt)}</dd>
${codesOf(mail).map((c) => html`<dt>${c.name}</dt><dd><code>${c.value}</code></dd>`)}
</dl>
<pre>${linkify(text)}</pre>
${links ? '' : html`<p class="muted">No absolute link in this mail: set <code>email_reset_password</code> (PUT /_emulator/settings) to get a clickable reset link.</p>`}
<details><summary>HTML source</summary><pre>${mail.html}</pre></details>
</div>`;
        })}`;
  const clear = mails.length ? html`<div class="actions"><button type="button" class="danger" data-call="DELETE /_emulator/outbox" data-confirm="Delete every mail in the outbox?" data-done="Outbox emptied.">Empty the outbox</button></div>` : '';
  return page('outbox', `Outbox (${mails.length})`, html`${clear}${body}`);
};
