// The inspector's only script: it turns buttons and forms marked `data-call="METHOD /path"`
// into fetch() calls to the control API with a JSON body, so the workbench's writes pass the
// guard (control/guard.ts) exactly as a script on the machine does: same origin, JSON only,
// the control token in the HttpOnly cookie the start link set (never visible to this script).
// The page's CSP allows this script by its hash and nothing else: no other inline script, no
// script file (not even one uploaded to /uploads on this origin), no inline event handler.
import { createHash } from 'node:crypto';

export const inspectorScript = `
(() => {
  const status = document.getElementById('status');
  const say = (text, bad) => { if (status) { status.textContent = text; status.className = bad ? 'status bad' : 'status ok'; } };
  async function call(spec, body) {
    const [method, path] = spec.split(' ');
    const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    const res = await fetch(path, init);
    const text = await res.text();
    let json; try { json = JSON.parse(text); } catch { json = undefined; }
    if (!res.ok) throw new Error((json && json.error && json.error.message) || (res.status + ' ' + text.slice(0, 200)));
    return json;
  }
  async function run(el, body) {
    if (el.dataset.confirm && !window.confirm(el.dataset.confirm)) return;
    el.setAttribute('aria-busy', 'true');
    try {
      await call(el.dataset.call, body);
      say(el.dataset.done || 'Done.', false);
      if (el.dataset.then) location.assign(el.dataset.then); else location.reload();
    } catch (error) {
      say(error.message, true);
    } finally {
      el.removeAttribute('aria-busy');
    }
  }
  document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-call]');
    if (!button || button.form) return;
    event.preventDefault();
    void run(button, button.dataset.body ? JSON.parse(button.dataset.body) : undefined);
  });
  document.addEventListener('submit', async (event) => {
    const form = event.target.closest('form[data-call]');
    if (!form) return;
    event.preventDefault();
    let body = {};
    try {
      for (const field of form.elements) {
        if (!field.name) continue;
        if (field.type === 'file') {
          const file = field.files[0];
          if (!file) throw new Error('Choose a file first.');
          body = JSON.parse(await file.text());
        } else if (field.type === 'checkbox') body[field.name] = field.checked;
        else if (field.value === '' ) { if (field.dataset.null !== undefined) body[field.name] = null; }
        else body[field.name] = field.dataset.type === 'number' ? Number(field.value) : field.value;
      }
    } catch (error) {
      say(error.message, true);
      return;
    }
    void run(form, body);
  });
})();
`;

/** The CSP source that lets exactly this script run. */
export const inspectorScriptHash = `'sha256-${createHash('sha256').update(inspectorScript).digest('base64')}'`;
