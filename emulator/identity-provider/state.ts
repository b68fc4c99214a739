// What the OAuth side keeps: users-permissions' grant settings (Strapi's plugin store key
// `grant`), and the local identity provider's codes and access tokens, each bound to the
// person chosen on the consent page. A store extension, so snapshot/restore/reset cover it.
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type { Store, StoreExtension } from '../store/store.js';
import { type IdpProfile, type ProviderSettings, defaultProviders } from './providers.js';

type Grant = { provider: string; clientId: string; redirectUri: string; profile: IdpProfile; expiresAt: number };
type Snapshot = { providers: Record<string, ProviderSettings>; codes: Array<[string, Grant]>; tokens: Array<[string, Grant]> };

/** A code is good for one exchange within 10 minutes; at most this many wait at once (oldest go first). */
const CODE_TTL_MS = 10 * 60 * 1000;
const MAX_PENDING = 1000;

export class OAuthState implements StoreExtension {
  providers: Record<string, ProviderSettings>;
  private codes = new Map<string, Grant>();
  private tokens = new Map<string, Grant>();

  constructor(
    private readonly store: Store,
    private readonly initial: Record<string, ProviderSettings>,
  ) {
    this.providers = structuredClone(initial);
  }

  static attach(store: Store, serverUrl: string, overrides: Record<string, Partial<ProviderSettings>> = {}): OAuthState {
    const base = defaultProviders(serverUrl);
    for (const [name, settings] of Object.entries(overrides)) base[name] = { ...(base[name] ?? { enabled: false, icon: '' }), ...settings } as ProviderSettings;
    return store.extend('oauth', new OAuthState(store, base));
  }

  snapshot(): Snapshot {
    return structuredClone({ providers: this.providers, codes: [...this.codes], tokens: [...this.tokens] });
  }

  schema() {
    const grant = z.strictObject({
      provider: z.string(),
      clientId: z.string(),
      redirectUri: z.string(),
      profile: z.strictObject({ email: z.string(), username: z.string(), emailVerified: z.boolean() }),
      expiresAt: z.number(),
    });
    const settings = z.looseObject({ enabled: z.boolean(), icon: z.string() });
    return z.strictObject({
      providers: z.record(z.string().check(z.refine((k) => !['__proto__', 'constructor', 'prototype'].includes(k))), settings),
      codes: z.array(z.tuple([z.string(), grant])).check(z.maxLength(MAX_PENDING)),
      tokens: z.array(z.tuple([z.string(), grant])).check(z.maxLength(MAX_PENDING)),
    });
  }

  restore(s: unknown): void {
    const snap = s as Snapshot | undefined;
    this.providers = structuredClone(snap?.providers ?? this.initial);
    this.codes = new Map(snap?.codes ?? []);
    this.tokens = new Map(snap?.tokens ?? []);
  }

  private bounded(map: Map<string, Grant>, key: string, grant: Grant) {
    map.set(key, grant);
    while (map.size > MAX_PENDING) map.delete(map.keys().next().value!);
  }

  /** The consent page's answer: a one-time code for that person. */
  issueCode(provider: string, clientId: string, redirectUri: string, profile: IdpProfile): string {
    const code = randomBytes(20).toString('hex');
    this.bounded(this.codes, code, { provider, clientId, redirectUri, profile, expiresAt: this.store.clock.now() + CODE_TTL_MS });
    return code;
  }

  /** The token endpoint: a code (once, for the client and redirect URI it was issued to) → an access token. */
  exchange(provider: string, code: string, clientId: string, secret: string, redirectUri: string): { access_token: string; token_type: 'bearer'; scope: string } {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    const settings = this.providers[provider];
    if (!grant || grant.provider !== provider || grant.expiresAt < this.store.clock.now()) throw new Error('The code passed is incorrect or expired.');
    if (grant.clientId !== clientId || grant.redirectUri !== redirectUri || !settings || settings.secret !== secret) throw new Error('The client_id and/or client_secret passed are incorrect.');
    const token = `idp_${randomBytes(24).toString('hex')}`;
    this.bounded(this.tokens, token, { ...grant, expiresAt: this.store.clock.now() + 8 * 3600 * 1000 });
    return { access_token: token, token_type: 'bearer', scope: (settings.scope ?? []).join(',') };
  }

  /** The profile endpoint: who an access token belongs to. */
  profileOf(provider: string, token: string): IdpProfile {
    const grant = this.tokens.get(token);
    if (!grant || grant.provider !== provider || grant.expiresAt < this.store.clock.now()) throw new Error('Request failed with status code 401');
    return grant.profile;
  }
}

export const oauthOf = (store: Store): OAuthState => store.extension<OAuthState>('oauth')!;
