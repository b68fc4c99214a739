// Scenarios of the `rich` project for the plugins' side of a project: the users-permissions user
// extension (extra fields, relations from and to the user) and i18n (locales, localized collection
// and single types). The same code runs on the emulator and on real Strapi 4 and 5.
import { describe, expect, test } from 'vitest';
import type { Connected } from './scenarios.js';
import { connectRich, flat, pluck, type RichClient, tag } from './rich-client.js';

export function richUserExtensionSuite(connect: () => Promise<Connected>): void {
  let c: RichClient;
  let v5 = false;
  connectRich(connect, (client) => {
    c = client;
    v5 = client.v5;
  });

  /** Creates a user with the extension's fields through the admin-only `POST /api/users`. */
  async function user(t: string, n: number, extra: Record<string, unknown> = {}) {
    const roles = await c.get('/api/users-permissions/roles');
    const role = roles.body.roles.find((r: { type: string }) => r.type === 'authenticated').id;
    const r = await c.call('POST', '/api/users', { username: `u${t}${n}`, email: `u${t}${n}@example.com`, password: 'Passw0rd!', role, nickname: `nick-${t}-${n}`, level: 'expert', ...extra });
    if (r.status !== 201) throw new Error(`POST /api/users → ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
    return r.body as { id: number; [k: string]: unknown };
  }

  describe('rich: the users-permissions user extension', () => {
    test('extra fields are written and answered; defaults apply', async () => {
      const t = tag();
      const u = await user(t, 1, { bio: 'likes gadgets', birthday: '1990-02-03' });
      expect(u).toMatchObject({ nickname: `nick-${t}-1`, bio: 'likes gadgets', birthday: '1990-02-03', level: 'expert' });
      const plain = await user(t, 2, { level: undefined });
      expect(plain.level).toBe('rookie');
      const one = await c.get(`/api/users/${u.id}`);
      expect(one.body).toMatchObject({ nickname: `nick-${t}-1`, bio: 'likes gadgets' });
      expect(one.body).not.toHaveProperty('password');
    });

    test('relations from the user (favorite, avatar, a component) and to the user (review.author ↔ user.reviews)', async () => {
      const t = tag();
      const fav = await c.create('gadgets', { title: `Fav ${t}` });
      const avatar = await c.upload(`avatar-${t}.png`);
      const u = await user(t, 1, { favorite: c.ref(fav), avatar: avatar.id, profile: { metaTitle: `me ${t}` } });
      const r1 = await c.create('reviews', { rating: 5, comment: 'great', author: u.id, gadget: c.ref(fav) });
      const r2 = await c.create('reviews', { rating: 2, comment: 'meh', author: u.id });
      const full = await c.get(`/api/users/${u.id}`, { populate: '*' });
      expect(full.status).toBe(200);
      expect(full.body.favorite).toMatchObject({ title: `Fav ${t}` });
      expect(full.body.avatar).toMatchObject({ id: avatar.id, name: `avatar-${t}.png` });
      expect(full.body.profile).toMatchObject({ metaTitle: `me ${t}` });
      expect(pluck(full.body.reviews, 'comment')).toEqual(['great', 'meh']);
      expect(full.body.role).toMatchObject({ type: 'authenticated' });
      const review = flat((await c.get(`/api/reviews/${c.ref(r1)}`, { populate: 'author' })).body.data);
      expect(review.author).toMatchObject({ id: u.id, nickname: `nick-${t}-1` });
      expect(review.author).not.toHaveProperty('password');
      void r2;
    });

    test('filters on the extension: users by their fields and relations, reviews by their author', async () => {
      const t = tag();
      const fav = await c.create('gadgets', { title: `Filt ${t}` });
      const a = await user(t, 1, { level: 'regular' });
      const b = await user(t, 2, { favorite: c.ref(fav) });
      await c.create('reviews', { rating: 4, comment: `by b ${t}`, author: b.id });
      const names = async (filters: Record<string, unknown>, sort?: string) => pluck((await c.get('/api/users', { filters: { username: { $startsWith: `u${t}` }, ...filters }, ...(sort ? { sort } : {}) })).body, 'username');
      expect(await names({})).toEqual([`u${t}1`, `u${t}2`]);
      expect(await names({}, 'nickname:desc')).toEqual([`u${t}2`, `u${t}1`]);
      expect(await names({ level: 'regular' })).toEqual([`u${t}1`]);
      expect(await names({ favorite: { title: `Filt ${t}` } })).toEqual([`u${t}2`]);
      expect(await names({ reviews: { rating: { $gte: 4 } } })).toEqual([`u${t}2`]);
      const reviews = await c.get('/api/reviews', { filters: { author: { nickname: `nick-${t}-2` } } });
      expect(pluck(flat(reviews.body.data), 'comment')).toEqual([`by b ${t}`]);
      void a;
    });
  });

}

export function richI18nSuite(connect: () => Promise<Connected>): void {
  let c: RichClient;
  let v5 = false;
  connectRich(connect, (client) => {
    c = client;
    v5 = client.v5;
  });

  describe('rich: i18n', () => {
    test('the locales: English (default) and the French one the project bootstrap adds', async () => {
      const r = await c.get('/api/i18n/locales');
      expect(r.status).toBe(200);
      expect(r.body.map((l: { code: string; isDefault: boolean }) => [l.code, l.isDefault])).toEqual([
        ['en', true],
        ['fr', false],
      ]);
    });

    test('a localized collection type: a second locale, locale filters, localizations, non-localized fields shared', async () => {
      const t = tag();
      const en = await c.create('guides', { title: `Guide ${t}`, difficulty: 'easy', body: 'english' });
      expect(en.locale).toBe('en');
      const fr = v5
        ? flat((await c.call('PUT', `/api/guides/${c.ref(en)}?locale=fr`, { data: { title: `Guide FR ${t}`, body: 'français' } })).body.data)
        : flat((await c.call('POST', `/api/guides/${en.id}/localizations`, { title: `Guide FR ${t}`, body: 'français', locale: 'fr' })).body);
      expect(fr).toMatchObject({ title: `Guide FR ${t}`, locale: 'fr', difficulty: 'easy' });
      if (v5) expect(fr.documentId).toBe(en.documentId);
      else {
        // Real v4 creates a localization as a draft, whatever the entry it localizes is.
        expect(fr.publishedAt).toBeNull();
        expect((await c.call('PUT', `/api/guides/${fr.id}`, { data: { publishedAt: '2024-01-01T00:00:00.000Z' } })).status).toBe(200);
      }
      const filters = { title: { $containsi: t } };
      expect(pluck(flat((await c.get('/api/guides', { filters })).body.data))).toEqual([`Guide ${t}`]);
      expect(pluck(flat((await c.get('/api/guides', { filters, locale: 'fr' })).body.data))).toEqual([`Guide FR ${t}`]);
      expect(pluck(flat((await c.get('/api/guides', { filters, locale: v5 ? '*' : 'all' })).body.data))).toEqual([`Guide ${t}`, `Guide FR ${t}`]);
      const withLocalizations = flat((await c.get(`/api/guides/${c.ref(en)}`, { populate: 'localizations' })).body.data);
      expect(pluck(withLocalizations.localizations, 'locale')).toEqual(['fr']);
      // difficulty is not localized: real v5 changes it on every locale; real v4's REST update
      // leaves the other locales as they were.
      await c.call('PUT', `/api/guides/${c.ref(en)}`, { data: { difficulty: 'hard' } });
      const frNow = flat((await c.get(`/api/guides/${c.ref(fr)}`, { locale: 'fr' })).body.data);
      expect(frNow).toMatchObject({ difficulty: v5 ? 'hard' : 'easy', title: `Guide FR ${t}` });
    });

    test('a localized single type: each locale is its own entry', async () => {
      const en = await c.call('PUT', '/api/homepage', { data: { headline: 'Welcome', sections: [{ __component: 'blocks.text', body: 'hi' }] } });
      expect(en.status).toBe(200);
      const fr = v5
        ? await c.call('PUT', '/api/homepage?locale=fr', { data: { headline: 'Bienvenue' } })
        : await c.call('POST', '/api/homepage/localizations', { headline: 'Bienvenue', locale: 'fr' });
      expect(fr.status, JSON.stringify(fr.body).slice(0, 300)).toBe(200);
      if (!v5) {
        // Real v4 creates the localization as a draft: publish it.
        expect(fr.body.publishedAt).toBeNull();
        expect((await c.call('PUT', '/api/homepage?locale=fr', { data: { publishedAt: '2024-01-01T00:00:00.000Z' } })).status).toBe(200);
      }
      expect(flat((await c.get('/api/homepage')).body.data)).toMatchObject({ headline: 'Welcome', locale: 'en' });
      expect(flat((await c.get('/api/homepage', { locale: 'fr' })).body.data)).toMatchObject({ headline: 'Bienvenue', locale: 'fr' });
      const both = flat((await c.get('/api/homepage', { populate: ['localizations', 'sections'] })).body.data);
      expect(pluck(both.localizations, 'locale')).toEqual(['fr']);
      expect(both.sections.map((s: { __component: string }) => s.__component)).toEqual(['blocks.text']);
    });

    test('draft & publish on a localized type: a draft locale is not listed', async () => {
      const t = tag();
      const draft = v5 ? await c.create('guides', { title: `Draft ${t}` }, '?status=draft&locale=fr') : await c.create('guides', { title: `Draft ${t}`, publishedAt: null, locale: 'fr' });
      expect(draft).toMatchObject({ locale: 'fr', publishedAt: null });
      const filters = { title: { $eq: `Draft ${t}` } };
      expect(flat((await c.get('/api/guides', { filters, locale: 'fr' })).body.data)).toEqual([]);
      const preview = await c.get('/api/guides', { filters, locale: 'fr', ...(v5 ? { status: 'draft' } : { publicationState: 'preview' }) });
      expect(pluck(flat(preview.body.data))).toEqual([`Draft ${t}`]);
    });
  });
}
