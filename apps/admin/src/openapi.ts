import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { type AuthConfig, OPENAPI_PUBLIC, cookieName } from '@isohub/auth';

export const OPENAPI_JSON = '/api/openapi.json';
export const OPENAPI_UI = '/api/docs';

/**
 * Publishes the admin API's OpenAPI document (and Swagger UI). Every operation needs the session
 * cookie or a bearer token unless it is `@Public()` (`x-public`); `@Roles()` shows as `x-roles`.
 * The document itself is public: it describes routes, not data.
 */
export function setupOpenApi(app: INestApplication, auth: AuthConfig): OpenAPIObject {
  const cookie = cookieName(auth.session);
  const config = new DocumentBuilder()
    .setTitle('isohub admin API')
    .setDescription(
      'Đăng nhập qua SSO (OpenID Connect) hoặc mã truy cập (client credentials). ' +
        'Sign in through the SSO (session cookie + X-CSRF-Token on changes) or send a bearer token.',
    )
    .setVersion('1')
    .addCookieAuth(cookie, { type: 'apiKey', in: 'cookie', name: cookie }, 'session')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('session')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation === 'object' && operation !== null && OPENAPI_PUBLIC in operation) {
        (operation as { security?: unknown[] }).security = [];
      }
    }
  }
  SwaggerModule.setup(OPENAPI_UI.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_JSON.slice(1),
    raw: ['json'],
  });
  return document;
}
