// users-permissions' jwt service. Tokens are byte-for-byte what jsonwebtoken signs for
// Strapi: header {"alg":"HS256","typ":"JWT"}, payload {id, iat, exp} with exp = iat +
// expiresIn, so the same id in the same second gives the same token (and a JWT from a real
// Strapi with the same secret is accepted). `jwt.algorithm` picks another algorithm for the
// legacy JWT, as jsonwebtoken takes it: HS* with the secret, RS/PS/ES with `jwtSecret` a PEM
// private key (verified with its public half). Refresh-mode session tokens stay HS256, as
// Strapi's session manager signs them. Keys are imported once (jose).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, importPKCS8, jwtVerify, type JWTPayload } from 'jose';
import type { JwtAlgorithm, Major } from '../config.js';
import type { Clock } from '../store/clock.js';

const hmac = (alg: string) => alg.startsWith('HS');
type SigningKey = CryptoKey | KeyObject | Uint8Array;

export class JwtService {
  private keys = new Map<string, Promise<SigningKey>>();

  constructor(
    private readonly secret: string,
    private readonly expiresInSeconds: number,
    private readonly clock: Clock,
    private readonly major: Major,
    private readonly algorithm: JwtAlgorithm = 'HS256',
  ) {
    if (!hmac(algorithm)) {
      // Fail at start, not at the first login: the secret must be a private key of that family.
      try {
        createPublicKey(secret);
      } catch {
        throw new TypeError(`jwtAlgorithm ${algorithm} needs jwtSecret to be a PEM private key`);
      }
    }
  }

  private key(alg: string, use: 'sign' | 'verify'): Promise<SigningKey> {
    const id = `${alg}:${hmac(alg) ? 'secret' : use}`;
    let key = this.keys.get(id);
    if (!key) {
      if (hmac(alg)) {
        const hash = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' }[alg as 'HS256'];
        key = crypto.subtle.importKey('raw', new TextEncoder().encode(this.secret), { name: 'HMAC', hash }, false, ['sign', 'verify']);
      } else if (use === 'sign') key = importPKCS8(this.secret, alg);
      else key = Promise.resolve(createPublicKey(this.secret));
      this.keys.set(id, key);
    }
    return key;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /**
   * Signs any payload; `expiresIn` seconds (omit for no exp). HS256 unless `alg` says otherwise.
   * `noTimestamp`: no iat claim (jsonwebtoken's option, which Strapi's refresh tokens use).
   */
  async sign(payload: Record<string, unknown>, opts: { expiresIn?: number; iat?: number; alg?: JwtAlgorithm; noTimestamp?: boolean } = {}): Promise<string> {
    const alg = opts.alg ?? 'HS256';
    const iat = opts.iat ?? this.nowSeconds();
    const jwt = new SignJWT(payload as JWTPayload).setProtectedHeader({ alg, typ: 'JWT' });
    if (!opts.noTimestamp) jwt.setIssuedAt(iat);
    if (opts.expiresIn !== undefined) jwt.setExpirationTime(iat + opts.expiresIn);
    return jwt.sign((await this.key(alg, 'sign')) as CryptoKey);
  }

  /** The legacy users-permissions JWT: `{id, iat, exp}`, with the configured algorithm. */
  issue(payload: { id: number }): Promise<string> {
    return this.sign({ id: payload.id }, { expiresIn: this.expiresInSeconds, alg: this.algorithm });
  }

  /**
   * Verifies a legacy JWT's signature and expiry against the emulator clock. Strapi 5 accepts the
   * configured algorithm only; Strapi 4 calls jsonwebtoken without `algorithms`, which allows
   * every algorithm of the key's kind (HS* for a secret; RS/PS or ES for a key pair).
   */
  verify(token: string): Promise<Record<string, unknown>> {
    const family = hmac(this.algorithm) ? ['HS256', 'HS384', 'HS512'] : this.algorithm.startsWith('ES') ? ['ES256', 'ES384', 'ES512'] : ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    return this.check(token, this.major === 5 ? [this.algorithm] : family);
  }

  /** Verifies a refresh-mode session token (HS256 with the secret, as Strapi's session manager). */
  verifySession(token: string): Promise<Record<string, unknown>> {
    return this.check(token, ['HS256']);
  }

  private async check(token: string, algorithms: string[]): Promise<Record<string, unknown>> {
    const { payload } = await jwtVerify(token, async (header) => (await this.key(header.alg, 'verify')) as CryptoKey, {
      algorithms,
      currentDate: new Date(this.clock.now()),
    });
    return payload as Record<string, unknown>;
  }
}
