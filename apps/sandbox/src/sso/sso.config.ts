import type { EnvReader } from '@isohub/config';

/** The development SSO (an OpenID Provider) the sandbox serves under `/sso`. */
export interface SsoConfig {
  /**
   * Origin browsers and the admin app reach the sandbox at; the issuer is `<publicUrl>/sso`.
   * null: `http://127.0.0.1:<port the sandbox listens on>`, resolved at the first request (tests listen on 0).
   */
  publicUrl: string | null;
  adminClient: {
    clientId: string;
    /** Confidential client (client_secret_basic), PKCE S256 required as well. */
    clientSecret: string;
    redirectUris: string[];
    postLogoutRedirectUris: string[];
  };
  automationClient: {
    clientId: string;
    clientSecret: string;
    /** Roles carried by its client-credentials access tokens. */
    roles: string[];
    agencies: string[];
  };
  /** Resource indicator (RFC 8707) of the admin API: the `aud` of the JWT access tokens. */
  apiAudience: string;
  /** One password for every demo account; development only. */
  demoPassword: string;
  /** Keys signing the provider's cookies; empty: random keys at each start. */
  cookieKeys: string[];
  /**
   * Accept the registered redirect URIs on any port of a loopback address (RFC 8252 §7.3, applied to
   * the web client too), so an admin started on a free port (tests, ADMIN_PORT) needs no re-registration.
   */
  anyLoopbackPort: boolean;
}

export const SSO_DEFAULTS = {
  adminClientId: 'isohub-admin',
  adminClientSecret: 'isohub-admin-dev-secret',
  automationClientId: 'isohub-automation',
  automationClientSecret: 'isohub-automation-dev-secret',
  apiAudience: 'urn:isohub:admin-api',
  demoPassword: 'isohub-demo',
} as const;

/** Every setting at its development default (sandbox configs built in code, tests). */
export function defaultSsoConfig(publicUrl: string | null = null): SsoConfig {
  return {
    publicUrl,
    adminClient: {
      clientId: SSO_DEFAULTS.adminClientId,
      clientSecret: SSO_DEFAULTS.adminClientSecret,
      redirectUris: ['http://127.0.0.1:8081/auth/callback'],
      postLogoutRedirectUris: ['http://127.0.0.1:8081/auth/logged-out'],
    },
    automationClient: {
      clientId: SSO_DEFAULTS.automationClientId,
      clientSecret: SSO_DEFAULTS.automationClientSecret,
      roles: ['mapper'],
      agencies: ['*'],
    },
    apiAudience: SSO_DEFAULTS.apiAudience,
    demoPassword: SSO_DEFAULTS.demoPassword,
    cookieKeys: [],
    anyLoopbackPort: true,
  };
}

/** Reads the SANDBOX_SSO_* variables (called from sandbox.config.ts, the sandbox's one env reader). */
export function readSsoConfig(env: EnvReader, port: number): SsoConfig {
  const defaults = defaultSsoConfig();
  const publicUrl = env.optional('SANDBOX_PUBLIC_URL') ?? (port === 0 ? null : `http://127.0.0.1:${port}`);
  return {
    publicUrl: publicUrl === null ? null : env.url('SANDBOX_PUBLIC_URL', publicUrl).replace(/\/+$/, ''),
    adminClient: {
      clientId: env.string('SANDBOX_SSO_ADMIN_CLIENT_ID', defaults.adminClient.clientId),
      clientSecret: env.string('SANDBOX_SSO_ADMIN_CLIENT_SECRET', defaults.adminClient.clientSecret),
      redirectUris: env.list('SANDBOX_SSO_ADMIN_REDIRECT_URIS', defaults.adminClient.redirectUris),
      postLogoutRedirectUris: env.list(
        'SANDBOX_SSO_ADMIN_POST_LOGOUT_URIS',
        defaults.adminClient.postLogoutRedirectUris,
      ),
    },
    automationClient: {
      clientId: env.string('SANDBOX_SSO_AUTOMATION_CLIENT_ID', defaults.automationClient.clientId),
      clientSecret: env.string('SANDBOX_SSO_AUTOMATION_SECRET', defaults.automationClient.clientSecret),
      roles: env.list('SANDBOX_SSO_AUTOMATION_ROLES', defaults.automationClient.roles),
      agencies: env.list('SANDBOX_SSO_AUTOMATION_AGENCIES', defaults.automationClient.agencies),
    },
    apiAudience: env.string('SANDBOX_SSO_API_AUDIENCE', defaults.apiAudience),
    demoPassword: env.string('SANDBOX_SSO_DEMO_PASSWORD', defaults.demoPassword),
    cookieKeys: env.list('SANDBOX_SSO_COOKIE_KEYS', []),
    anyLoopbackPort: env.bool('SANDBOX_SSO_ANY_LOOPBACK_PORT', true),
  };
}
