// users-permissions' jwt service. Tokens are byte-for-byte what jsonwebtoken signs for
// Strapi: header {"alg":"HS256","typ":"JWT"}, payload {id, iat, exp} with exp = iat +
// expiresIn, so the same id in the same second gives the same token (and a JWT from a real
// Strapi with the same secret is accepted). Keys are imported once as CryptoKeys (jose).
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Major } from '../config.js';
import type { Clock } from '../store/clock.js';

type HmacAlg = 'HS256' | 'HS384' | 'HS512';

export class JwtService {
  private keys = new Map<HmacAlg, Promise<CryptoKey>>();

  constructor(
    private readonly secret: string,
    private readonly expiresInSeconds: number,
    private readonly clock: Clock,
    private readonly major: Major,
  ) {}

  private key(alg: HmacAlg): Promise<CryptoKey> {
    let key = this.keys.get(alg);
    if (!key) {
      const hash = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' }[alg];
      key = crypto.subtle.importKey('raw', new TextEncoder().encode(this.secret), { name: 'HMAC', hash }, false, ['sign', 'verify']);
      this.keys.set(alg, key);
    }
    return key;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** Signs any payload with HS256; `expiresIn` seconds (omit for no exp). */
  async sign(payload: Record<string, unknown>, opts: { expiresIn?: number; iat?: number } = {}): Promise<string> {
    const iat = opts.iat ?? this.nowSeconds();
    const jwt = new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(iat);
    if (opts.expiresIn !== undefined) jwt.setExpirationTime(iat + opts.expiresIn);
    return jwt.sign(await this.key('HS256'));
  }

  /** The legacy users-permissions JWT: `{id, iat, exp}`. */
  issue(payload: { id: number }): Promise<string> {
    return this.sign({ id: payload.id }, { expiresIn: this.expiresInSeconds });
  }

  /**
   * Verifies signature and expiry against the emulator clock. Strapi 5 accepts HS256 only;
   * Strapi 4 calls jsonwebtoken without `algorithms`, which allows every HMAC algorithm.
   * Throws on anything invalid.
   */
  async verify(token: string): Promise<Record<string, unknown>> {
    const algorithms: HmacAlg[] = this.major === 5 ? ['HS256'] : ['HS256', 'HS384', 'HS512'];
    const { payload } = await jwtVerify(token, async (header) => this.key(header.alg as HmacAlg), {
      algorithms,
      currentDate: new Date(this.clock.now()),
    });
    return payload as Record<string, unknown>;
  }
}
