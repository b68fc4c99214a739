// Reading plugin extensions (src/extensions/<plugin>/content-types/<name>/schema.json): the
// fixture, and every way a broken one is refused with its file and the reason.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadStrapiSchemas } from './content-types.js';
import { droppedAttributeWarnings, loadPluginExtensions, withExtensions } from './extensions.js';

const fixture = fileURLToPath(new URL('./fixtures/user-extension/src', import.meta.url));
const userFile = 'users-permissions/content-types/user/schema.json';
const builtIn = {
  username: { type: 'string' }, email: { type: 'email' }, provider: { type: 'string' }, password: { type: 'password', private: true },
  resetPasswordToken: { type: 'string', private: true }, confirmationToken: { type: 'string', private: true }, confirmed: { type: 'boolean' }, blocked: { type: 'boolean' },
  role: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.role' },
};

function extensionsWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'upext-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('plugin extensions', () => {
  test("the fixture's user extension: the file's attributes, in its order", () => {
    const ext = loadPluginExtensions(join(fixture, 'extensions'));
    expect(Object.keys(ext)).toEqual(['plugin::users-permissions.user']);
    const user = ext['plugin::users-permissions.user']!;
    expect(Object.keys(user.attributes)).toEqual([...Object.keys(builtIn), 'job', 'age', 'secretNote', 'picture', 'reviews', 'badges']);
    const schemas = withExtensions(loadStrapiSchemas([join(fixture, 'api')]), ext);
    expect(schemas.extensions?.['plugin::users-permissions.user']?.file).toBe(user.file);
  });

  test("the plugin's own attributes a file leaves out are kept, with a warning", () => {
    const ext = loadPluginExtensions(extensionsWith({ [userFile]: { attributes: { username: { type: 'string' }, nickname: { type: 'string' } } } }));
    const user = ext['plugin::users-permissions.user']!;
    expect(user.dropped).toEqual(['email', 'provider', 'password', 'resetPasswordToken', 'confirmationToken', 'confirmed', 'blocked', 'role']);
    expect(droppedAttributeWarnings(ext)).toEqual([`${user.file}: leaves out email, provider, password, resetPasswordToken, confirmationToken, confirmed, blocked, role of plugin::users-permissions.user; kept, as the plugin needs them (real Strapi would drop them)`]);
  });

  test('no folder, or no content-types in it: nothing extended', () => {
    expect(loadPluginExtensions(join(fixture, 'nope'))).toEqual({});
    expect(loadPluginExtensions(extensionsWith({ 'users-permissions/strapi-server.js': 'module.exports = (p) => p;' }))).toEqual({});
  });

  test('refused with the file and the reason', () => {
    const bad = (files: Record<string, unknown>) => () => loadPluginExtensions(extensionsWith(files));
    expect(bad({ [userFile]: '{ nope' })).toThrow(/user\/schema\.json: not valid JSON/);
    expect(bad({ 'i18n/content-types/locale/schema.json': { attributes: {} } })).toThrow(/extends plugin::i18n\.locale, which the emulator does not serve/);
    expect(bad({ [userFile]: { attributes: { ...builtIn, job: { type: 'nope' } } } })).toThrow(/attribute "job" has unknown type "nope"/);
    const dangling = extensionsWith({ [userFile]: { attributes: { ...builtIn, posts: { type: 'relation', relation: 'oneToMany', target: 'api::post.post' } } } });
    expect(() => withExtensions(loadStrapiSchemas([join(fixture, 'api')]), loadPluginExtensions(dangling))).toThrow(/attribute "posts" targets "api::post\.post", which is not a known content type/);
  });
});
