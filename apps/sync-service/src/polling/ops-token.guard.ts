import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * The operator API takes `Authorization: Bearer <OPS_TOKEN>`. Both sides are hashed first so the
 * comparison is constant-time whatever the lengths; the token is never logged.
 */
@Injectable()
export class OpsTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(SYNC_CONFIG) config: SyncServiceConfig) {
    this.expected = config.opsToken === null ? null : digest(config.opsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const header = http.getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const presented = match?.[1];
    if (
      this.expected !== null &&
      presented !== undefined &&
      timingSafeEqual(digest(presented), this.expected)
    ) {
      return true;
    }
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="isohub-ops"');
    throw new UnauthorizedException(
      this.expected === null
        ? 'the operator API is not configured (OPS_TOKEN)'
        : 'operator bearer token required',
    );
  }
}
