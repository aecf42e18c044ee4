import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  type INestApplication,
  Module,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { type AuthUser, PUBLIC_KEY, type Role, ROLES_KEY } from '@isohub/auth';
import type { AuditAnchorConfig } from '../src/admin.config';
import { ADMIN_EXCEPTION_FILTER } from '../src/http/admin-exception.filter';
import { MappingModule } from '../src/mapping/mapping.module';

export const TEST_USER_HEADER = 'x-test-user';

/**
 * Stand-in for the auth engineer's global guard (their login and token tests cover the real one):
 * the caller comes from a header, and the route's @Roles / @Public metadata is enforced the way the
 * roles contract says (admin passes everything, mapper also reads).
 */
@Injectable()
class HeaderAuthGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    const req = ctx
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const raw = req.headers[TEST_USER_HEADER];
    if (!raw) {
      throw new UnauthorizedException('login required');
    }
    const user = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as AuthUser;
    req.user = user;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const implied = (r: Role): Role[] =>
      r === 'admin' ? ['admin', 'mapper', 'viewer'] : r === 'mapper' ? ['mapper', 'viewer'] : ['viewer'];
    return required.length === 0 || user.roles.some((r) => implied(r).some((x) => required.includes(x)));
  }
}

export function userHeader(user: Partial<AuthUser> & { sub: string; roles: Role[] }): Record<string, string> {
  const full: AuthUser = { name: null, agencies: [], via: 'bearer', ...user };
  return { [TEST_USER_HEADER]: Buffer.from(JSON.stringify(full), 'utf8').toString('base64') };
}

export async function startMappingApp(
  ds: DataSource,
  catalogueCsv: string | null,
  options: { auditAnchor?: AuditAnchorConfig } = {},
): Promise<{ app: INestApplication; url: string }> {
  @Module({
    imports: [MappingModule.register({ dataSource: ds, config: { catalogueCsv }, ...options })],
    providers: [{ provide: APP_GUARD, useClass: HeaderAuthGuard }, ADMIN_EXCEPTION_FILTER],
  })
  class TestAdminModule {}
  const app = await NestFactory.create(TestAdminModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}
