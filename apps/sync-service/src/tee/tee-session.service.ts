import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SYNC_CONFIG, type SenderConfig, type SyncServiceConfig } from '../config/sync-service.config';

/** Domain separation: an LGSP token or an upstream-session hash under the same secret is never a session. */
const PURPOSE = 'isohub:takeover-session:v2';

/**
 * isohub's own portal-style sessions, for OpenCPS-style senders in takeover mode only. HMAC-signed
 * (sender id + issue time), so they survive a hub restart: OpenCPS caches its session without expiry and only
 * learns it is stale from an error answer (DOMAIN.md §4.7). The signature also covers a hash of the sender's
 * password, so a password change ends every session issued under the old one (SESSION_TTL_HOURS bounds the rest).
 */
@Injectable()
export class TeeSessionService {
  constructor(@Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig) {}

  login(username: unknown, password: unknown): { sender: SenderConfig; session: string } | null {
    if (typeof username !== 'string' || typeof password !== 'string') {
      return null;
    }
    const sender = this.config.senders.find(
      (s) =>
        s.style === 'opencps' &&
        s.mode === 'takeover' &&
        s.username === username &&
        s.password !== undefined &&
        safeEqual(s.password, password),
    );
    if (!sender) {
      return null;
    }
    const payload = `${sender.id}.${Date.now().toString(36)}`;
    return { sender, session: `${payload}.${this.sign(payload, sender)}` };
  }

  verify(session: unknown): SenderConfig | null {
    if (typeof session !== 'string') {
      return null;
    }
    const parts = session.split('.');
    if (parts.length < 3) {
      return null;
    }
    const sig = parts.pop() as string;
    const payload = parts.join('.');
    const issued = parseInt(parts[parts.length - 1] ?? '', 36);
    const senderId = parts.slice(0, -1).join('.');
    const sender = this.config.senders.find(
      (s) => s.id === senderId && s.style === 'opencps' && s.mode === 'takeover',
    );
    if (!sender || !safeEqual(this.sign(payload, sender), sig)) {
      return null;
    }
    if (!Number.isFinite(issued) || Date.now() - issued > this.config.sessionTtlHours * 3_600_000) {
      return null;
    }
    return sender;
  }

  senderByPathKey(key: string): SenderConfig | null {
    return (
      this.config.senders.find(
        (s) => s.style === 'thanhhoa' && s.pathKey !== undefined && safeEqual(s.pathKey, key),
      ) ?? null
    );
  }

  private sign(payload: string, sender: SenderConfig): string {
    const passwordHash = createHash('sha256')
      .update(sender.password ?? '')
      .digest('base64url');
    return createHmac('sha256', this.config.sessionSecret)
      .update(`${PURPOSE}\n${payload}\n${passwordHash}`)
      .digest('base64url');
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
