import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { LGSP_SANDBOX_CONFIG } from './lgsp-sandbox.tokens';
import type { LgspSandboxConfig } from './lgsp-sandbox.config';

export interface IssuedSandboxToken {
  accessToken: string;
  expiresIn: number;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The bus's token store: opaque random tokens with a real-time expiry, as a WSO2-style gateway issues them.
 * "Expire now" forgets every token, which a client only learns from its next call's 401.
 */
@Injectable()
export class LgspTokenStore {
  private readonly tokens = new Map<string, number>();
  private ttlSeconds: number;
  issued = 0;

  constructor(@Inject(LGSP_SANDBOX_CONFIG) private readonly config: LgspSandboxConfig) {
    this.ttlSeconds = config.tokenTtlSeconds;
  }

  authenticate(clientId: string, clientSecret: string): boolean {
    const clients = [
      { clientId: this.config.clientId, clientSecret: this.config.clientSecret },
      ...(this.config.clients ?? []),
    ];
    return clients.some((c) => safeEqual(clientId, c.clientId) && safeEqual(clientSecret, c.clientSecret));
  }

  issue(now = Date.now()): IssuedSandboxToken {
    this.sweep(now);
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, now + this.ttlSeconds * 1000);
    this.issued += 1;
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  isValid(token: string | null, now = Date.now()): boolean {
    const expiry = token === null ? undefined : this.tokens.get(token);
    return expiry !== undefined && expiry > now;
  }

  /** Every token issued so far stops working now. */
  expireAll(): number {
    const count = this.tokens.size;
    this.tokens.clear();
    return count;
  }

  setTtl(seconds: number): void {
    this.ttlSeconds = seconds;
  }

  stats(now = Date.now()): { issued: number; active: number; ttlSeconds: number } {
    this.sweep(now);
    return { issued: this.issued, active: this.tokens.size, ttlSeconds: this.ttlSeconds };
  }

  private sweep(now: number): void {
    for (const [token, expiry] of this.tokens) {
      if (expiry <= now) {
        this.tokens.delete(token);
      }
    }
  }
}
