// users-permissions' OAuth providers: the grant settings Strapi 4.26.2 and 5.54.0 start with (read
// from both versions' providers-registry: the same list), the providers' OAuth endpoints (5.54's
// oauth-connect/providers.js; the local identity provider stands in for them), and what each
// provider's authCallback makes of the profile.

export type ProviderSettings = {
  enabled: boolean;
  icon: string;
  key?: string;
  secret?: string;
  /** The front end's URL Strapi redirects to after the provider (Strapi names it callback or callbackUrl). */
  callback?: string;
  callbackUrl?: string;
  scope?: string[];
  subdomain?: string;
  [more: string]: unknown;
};

const off = (icon: string, scope: string[] | undefined, extra: Record<string, unknown> = {}): ProviderSettings => ({ enabled: false, icon, key: '', secret: '', ...extra, ...(scope ? { scope } : {}) });

/** The stored grant settings of a fresh Strapi (the callback under `<server.url>/api/auth/<name>/callback`). */
export function defaultProviders(serverUrl: string): Record<string, ProviderSettings> {
  const cb = (name: string) => `${serverUrl}/api/auth/${name}/callback`;
  const withUrl = (name: string, icon: string, scope?: string[]) => off(icon, scope, { callbackUrl: cb(name) });
  const withCb = (name: string, icon: string, scope: string[], subdomain?: string) => off(icon, scope, { ...(subdomain ? { subdomain } : {}), callback: cb(name) });
  return {
    email: { enabled: true, icon: 'envelope' },
    discord: withUrl('discord', 'discord', ['identify', 'email']),
    facebook: withUrl('facebook', 'facebook-square', ['email']),
    google: withUrl('google', 'google', ['email']),
    github: withUrl('github', 'github', ['user', 'user:email']),
    microsoft: withUrl('microsoft', 'windows', ['user.read']),
    twitter: withUrl('twitter', 'twitter'),
    instagram: withUrl('instagram', 'instagram', ['user_profile']),
    vk: withUrl('vk', 'vk', ['email']),
    twitch: withUrl('twitch', 'twitch', ['user:read:email']),
    linkedin: withUrl('linkedin', 'linkedin', ['r_liteprofile', 'r_emailaddress']),
    cognito: withCb('cognito', 'aws', ['email', 'openid', 'profile'], 'my.subdomain.com'),
    reddit: withCb('reddit', 'reddit', ['identity']),
    auth0: withCb('auth0', '', ['openid', 'email', 'profile'], 'my-tenant.eu'),
    cas: withCb('cas', 'book', ['openid email'], 'my.subdomain.com/cas'),
    patreon: withCb('patreon', '', ['identity', 'identity[email]']),
    keycloak: withCb('keycloak', '', ['openid', 'email', 'profile'], 'myKeycloakProvider.com/realms/myrealm'),
  };
}

/** The scope delimiter of each built-in OAuth 2 provider (`,` unless listed); email has no endpoints. */
const spaceDelimited = new Set(['discord', 'google', 'microsoft', 'auth0', 'cas', 'keycloak', 'cognito', 'linkedin', 'twitch', 'patreon', 'reddit']);
export const scopeDelimiter = (name: string) => (spaceDelimited.has(name) ? ' ' : ',');

/** Providers whose sign-in the local identity provider plays (OAuth 2); the others have no endpoints here. */
export const playable = (name: string, settings: ProviderSettings | undefined) => name !== 'email' && name !== 'twitter' && settings !== undefined;

/** The front end's URL for a provider (callback wins over callbackUrl, as grant's config reads them). */
export const callbackOf = (settings: ProviderSettings): string | undefined => (typeof settings.callback === 'string' ? settings.callback : typeof settings.callbackUrl === 'string' ? settings.callbackUrl : undefined);

/** A person the developer signs in as on the consent page. */
export type IdpProfile = { email: string; username: string; emailVerified: boolean };

/**
 * What each provider's authCallback answers for that person: GitHub its login, Google the part
 * of the email before @, OIDC providers (keycloak, auth0, cognito, …) the preferred_username.
 * GitHub and Google refuse an unverified email with their own message.
 */
export function profileFor(provider: string, p: IdpProfile): { username: string; email: string } {
  if (provider === 'github') {
    if (!p.emailVerified) throw new Error('Email not verified by GitHub');
    return { username: p.username, email: p.email };
  }
  if (provider === 'google') {
    if (!p.emailVerified) throw new Error('Email not verified by Google');
    return { username: p.email.split('@')[0], email: p.email };
  }
  return { username: p.username, email: p.email };
}
