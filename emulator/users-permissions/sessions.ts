// Strapi 5's session manager for the 'users-permissions' origin (jwtManagement: 'refresh').
// Refresh tokens are JWTs {userId, sessionId, type:'refresh', iat, exp} backed by a session
// row; access tokens are JWTs {userId, sessionId, type:'access', iat, exp} (10 min by
// default) that are checked by signature only, as Strapi does. Rotation marks the old
// session 'rotated' and creates a child, so a refresh token works once.
import { randomBytes } from 'node:crypto';
import type { SessionLifespans } from '../config.js';
import type { Store } from '../store/store.js';
import type { JwtService } from './jwt.js';

export type SessionMetadata = { loginAt?: string; deviceName?: string };
export type RefreshValidation = { isValid: true; userId: string; sessionId: string } | { isValid: false };

export class SessionManager {
  constructor(
    private readonly store: Store,
    private readonly jwt: JwtService,
    private readonly lifespans: SessionLifespans,
  ) {}

  private async createSession(userId: string, deviceId: string | null, metadata: SessionMetadata | null, absoluteExpiresAt?: string) {
    const now = this.store.clock.now();
    const sessionId = randomBytes(16).toString('hex');
    const session = await this.store.sessions.insert({
      sessionId,
      userId,
      deviceId,
      status: 'active',
      childId: null,
      expiresAt: new Date(now + this.lifespans.idleRefreshTokenLifespan * 1000).toISOString(),
      absoluteExpiresAt: absoluteExpiresAt ?? new Date(now + this.lifespans.maxRefreshTokenLifespan * 1000).toISOString(),
      createdAt: new Date(now).toISOString(),
      metadata,
    });
    const exp = Math.floor(new Date(session.expiresAt).getTime() / 1000);
    // Strapi signs refresh tokens with noTimestamp: {userId, sessionId, type, exp}, no iat (seen on 5.54.0).
    const token = await this.jwt.sign({ userId, sessionId, type: 'refresh', exp }, { noTimestamp: true });
    return { token, sessionId, session };
  }

  generateRefreshToken(userId: string, deviceId?: string, metadata?: SessionMetadata) {
    return this.createSession(userId, deviceId ?? null, metadata ?? null);
  }

  /** The user's active sessions, newest first (what the session provider's findByUser reads). */
  listSessions(userId: string) {
    return this.store.sessions.where((s) => s.userId === userId && s.status === 'active').sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  }

  private async payloadOf(token: string, type: 'access' | 'refresh'): Promise<Record<string, unknown> | null> {
    try {
      const payload = await this.jwt.verifySession(token);
      return payload.type === type ? payload : null;
    } catch {
      return null;
    }
  }

  async validateRefreshToken(token: string): Promise<RefreshValidation> {
    const payload = await this.payloadOf(token, 'refresh');
    if (!payload) return { isValid: false };
    const session = this.store.sessions.one('sessionId', payload.sessionId);
    const now = this.store.clock.now();
    if (!session || session.status !== 'active' || session.userId !== payload.userId) return { isValid: false };
    if (new Date(session.expiresAt).getTime() <= now || new Date(session.absoluteExpiresAt).getTime() <= now) return { isValid: false };
    return { isValid: true, userId: session.userId, sessionId: session.sessionId };
  }

  async generateAccessToken(refreshToken: string): Promise<{ token: string } | { error: 'invalid_refresh_token' }> {
    const v = await this.validateRefreshToken(refreshToken);
    if (!v.isValid) return { error: 'invalid_refresh_token' };
    const token = await this.jwt.sign({ userId: String(v.userId), sessionId: v.sessionId, type: 'access' }, { expiresIn: this.lifespans.accessTokenLifespan });
    return { token };
  }

  /** Spends a refresh token: the session becomes 'rotated' and a child session takes over. */
  async rotateRefreshToken(refreshToken: string): Promise<{ token: string; sessionId: string } | { error: 'invalid_refresh_token' }> {
    const v = await this.validateRefreshToken(refreshToken);
    if (!v.isValid) return { error: 'invalid_refresh_token' };
    const current = this.store.sessions.one('sessionId', v.sessionId)!;
    const child = await this.createSession(current.userId, current.deviceId, current.metadata, current.absoluteExpiresAt);
    await this.store.sessions.update(current.id, { status: 'rotated', childId: child.sessionId });
    return { token: child.token, sessionId: child.sessionId };
  }

  /** Checks an access token's signature, expiry and type (not the session, as Strapi). */
  async validateAccessToken(token: string): Promise<{ userId: string; sessionId: string } | null> {
    const payload = await this.payloadOf(token, 'access');
    if (!payload || typeof payload.userId !== 'string') return null;
    return { userId: payload.userId, sessionId: String(payload.sessionId) };
  }

  /** Deletes the user's sessions (all, or one device's). */
  invalidateRefreshToken(userId: string, deviceId?: string): void {
    for (const s of this.store.sessions.by('userId', userId).filter((s) => deviceId === undefined || s.deviceId === deviceId)) this.store.sessions.delete(s.id);
  }

  revokeSessionById(userId: string, sessionId: string): boolean {
    const s = this.store.sessions.one('sessionId', sessionId);
    if (!s || s.userId !== userId) return false;
    this.store.sessions.delete(s.id);
    return true;
  }
}
