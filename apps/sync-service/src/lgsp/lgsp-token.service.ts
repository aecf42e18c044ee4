import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SYNC_CONFIG, type SenderConfig, type SyncServiceConfig } from '../config/sync-service.config';

/** Domain separation: a portal-tee session signed with the same secret is never a valid LGSP token. */
const PURPOSE = 'isohub:lgsp-token:v1';

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * isohub's own OAuth2 client-credentials tokens, for LGSP-style senders in takeover mode (RFC 6749 §4.4). Like the tee's sessions they are
 * HMAC-signed rather than stored, so they survive a hub restart: `<sender id>.<expiry, base36 seconds>.<sig>`.
 * The signature also covers a hash of the client secret, so rotating a secret revokes its tokens.
 * Tokens are bearer credentials: nothing here or in the callers logs them.
 */
@Injectable()
export class LgspTokenService {
  constructor(@Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig) {}

  /** The lgsp-style sender with these client credentials, or null. */
  authenticate(clientId: string, clientSecret: string): SenderConfig | null {
    const sender = this.config.senders.find(
      (s) => s.style === 'lgsp' && s.mode === 'takeover' && s.clientId === clientId,
    );
    if (!sender?.clientSecret || !safeEqual(sender.clientSecret, clientSecret)) {
      return null;
    }
    return sender;
  }

  issue(sender: SenderConfig, now = Date.now()): IssuedToken {
    const expiresIn = this.config.lgspTokenTtlSeconds;
    const expiry = Math.floor(now / 1000) + expiresIn;
    const payload = `${sender.id}.${expiry.toString(36)}`;
    return { accessToken: `${payload}.${this.sign(payload, sender)}`, expiresIn };
  }

  /** The sender a token was issued to, or null when it is forged, expired or its secret has changed. */
  verify(token: string, now = Date.now()): SenderConfig | null {
    const parts = token.split('.');
    if (parts.length < 3) {
      return null;
    }
    const sig = parts.pop() as string;
    const expiry = parseInt(parts.at(-1) ?? '', 36);
    const senderId = parts.slice(0, -1).join('.');
    const sender = this.config.senders.find(
      (s) => s.style === 'lgsp' && s.mode === 'takeover' && s.id === senderId,
    );
    if (!sender || !safeEqual(this.sign(parts.join('.'), sender), sig)) {
      return null;
    }
    return Number.isFinite(expiry) && expiry * 1000 > now ? sender : null;
  }

  private sign(payload: string, sender: SenderConfig): string {
    const secretHash = createHash('sha256')
      .update(sender.clientSecret ?? '')
      .digest('base64url');
    return createHmac('sha256', this.config.sessionSecret)
      .update(`${PURPOSE}\n${payload}\n${secretHash}`)
      .digest('base64url');
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
