// API token keys the way Strapi's admin::api-token service keeps them: the bearer value is
// shown once (create, regenerate) and stored as HMAC-SHA512(admin.apiToken.salt, key) in hex;
// a request's bearer is hashed the same way and looked up. Strapi 5 also keeps the key
// encrypted (admin.secrets.encryptionKey, AES-256-GCM) so the panel can show it again.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** The defaults when none is given: the emulator protects nothing, but the format is Strapi's. */
export const defaultApiTokenSalt = 'strapi-emulator-api-token-salt';
export const defaultEncryptionKey = 'strapi-emulator-encryption-key';

export function hashAccessKey(salt: string, accessKey: string): string {
  return createHmac('sha512', salt).update(accessKey).digest('hex');
}

/** A new key: 128 random bytes in hex, as Strapi generates them. */
export function newAccessKey(): string {
  return randomBytes(128).toString('hex');
}

const keyOf = (secret: string) => createHash('sha256').update(secret).digest();

/** `iv:ciphertext:authTag`, hex, as Strapi 5's encryption service writes it. */
export function encryptAccessKey(secret: string, accessKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const encrypted = Buffer.concat([cipher.update(accessKey, 'utf8'), cipher.final()]);
  return `${iv.toString('hex')}:${encrypted.toString('hex')}:${cipher.getAuthTag().toString('hex')}`;
}

/** The key back, or null when it cannot be decrypted (another secret, a damaged value). */
export function decryptAccessKey(secret: string, encrypted: string): string | null {
  const [iv, data, tag] = encrypted.split(':');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), Buffer.from(iv, 'hex'));
    decipher.setAuthTag(Buffer.from(tag, 'hex'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'hex')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
