// diff against an emulator served on a port as "the instance": the same emulator on both sides
// must give no divergence, and one planted difference must be found, with its request and path.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator } from '../emulator/index.js';
import { listen } from '../emulator/server.js';
import { richProject } from '../contracts/conformance/rich-client.js';
import { runDiff } from './diff.js';
import { formatReport } from './replay.js';

const token = 'diff-test-full-access-token';

for (const major of [4, 5] as const) {
  describe(`diff, Strapi ${major} (an emulator as the instance)`, () => {
    let server: Awaited<ReturnType<typeof listen>>;
    let instance: ReturnType<typeof createEmulator>;
    beforeAll(async () => {
      instance = createEmulator({ strapi: major, project: richProject, locales: ['en', 'fr'], seedPermissions: {}, apiTokens: [{ accessKey: token, type: 'full-access' }], onWarning: () => {}, onStrapiCrash: () => {} });
      await instance.ready;
      server = await listen(instance, { port: 0, host: '127.0.0.1' });
    });
    afterAll(() => server.close());

    test('the same behaviour on both sides: no divergence, and nothing left on the instance', async () => {
      const before = instance.control.snapshot();
      const result = await runDiff({ url: server.url, token, project: richProject, uploads: true });
      expect(formatReport(result.divergences, result.requests)).toBe(`0 divergences in ${result.requests} requests`);
      expect(result.requests).toBeGreaterThan(150);
      expect(result.leftovers).toEqual([]);
      const after = instance.control.snapshot();
      // The world as the instance keeps it: rows, not the id counters a create moves on (nor the
      // emulator's bookkeeping of inverse-side order, which keeps keys of deleted documents).
      const rows = (s: typeof before) => JSON.stringify({ users: s.users.rows, roles: s.roles.rows, permissions: s.permissions.rows, content: s.extensions?.content, locales: s.extensions?.i18n }, (k, v) => (['nextId', 'lastUsedAt', 'componentIds', 'inverseOrder'].includes(k) ? undefined : v));
      expect(rows(after)).toBe(rows(before));
    });

    test('stopped midway (Ctrl-C): what the run created is removed from the instance all the same', async () => {
      const rows = () => JSON.stringify(instance.control.snapshot().extensions?.content, (k, v) => (['nextId', 'componentIds', 'inverseOrder'].includes(k) ? undefined : v));
      const before = rows();
      const abort = new AbortController();
      let writes = 0;
      const stop = instance.use({ name: 'stop-after-writes', before: (r) => void (r.method === 'POST' && ++writes === 12 && abort.abort()) });
      try {
        const result = await runDiff({ url: server.url, token, project: richProject, signal: abort.signal });
        expect(result.stopped).toBe('interrupted');
        expect(result.leftovers).toEqual([]);
      } finally {
        stop();
      }
      expect(writes).toBeGreaterThanOrEqual(12);
      expect(JSON.parse(rows())).toEqual(JSON.parse(before));
    });

    test('an instance that stops answering: the run stops and says so, and what it could not remove', async () => {
      const dying = createEmulator({ strapi: major, project: richProject, locales: ['en', 'fr'], seedPermissions: {}, apiTokens: [{ accessKey: token, type: 'full-access' }], onWarning: () => {}, onStrapiCrash: () => {} });
      await dying.ready;
      const down = await listen(dying, { port: 0, host: '127.0.0.1' });
      let seen = 0;
      dying.use({ name: 'dies', before: () => void (++seen === 40 && down.close()) });
      const result = await runDiff({ url: down.url, token, project: richProject });
      expect(result.stopped).toMatch(new RegExp(`^${down.url} stopped answering \\(`));
      expect(result.leftovers.length).toBeGreaterThan(0);
      expect(result.notes.join('\n')).toMatch(/could not remove from the instance: api::/);
    });

    test('a planted difference (a renamed error message, a dropped field) is found and named', async () => {
      const hook = {
        name: 'planted',
        async after(ex: { url: URL; method: string; response: Response }) {
          if (ex.method === 'GET' && /^\/api\/makers\/[^/]+$/.test(ex.url.pathname) && ex.response.status === 200) {
            const body = (await ex.response.clone().json()) as any;
            if (major === 5) delete body.data.founded;
            else delete body.data.attributes.founded;
            return Response.json(body, { status: 200 });
          }
        },
      };
      const result = await runDiff({ url: server.url, token, project: richProject, hooks: [hook as never] });
      const report = formatReport(result.divergences, result.requests);
      expect(result.divergences.length).toBeGreaterThan(0);
      expect(result.divergences.every((d) => /^GET \/api\/makers\/[^/?]+/.test(d.request))).toBe(true);
      expect(report).toMatch(major === 5 ? /body\.data\.founded: only on the instance/ : /body\.data\.attributes\.founded: only on the instance/);
      expect(report).toMatch(/^\d+ divergences? in \d+ requests$/m);
    });
  });
}
