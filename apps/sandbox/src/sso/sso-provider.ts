import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { type Configuration, type JWK, type KoaContextWithOIDC, Provider, errors } from 'oidc-provider';
import { DEMO_ACCOUNTS, findDemoAccount } from './demo-accounts';
import { errorPage, loggedOutPage, logoutPage } from './sso-pages';
import type { SsoConfig } from './sso.config';

/** Where the provider is mounted in the sandbox app; the issuer is `<origin>/sso`. */
export const SSO_MOUNT = '/sso';

/** The scope carrying isohub's authorization claims (`roles`, `agencies`). */
export const ISOHUB_SCOPE = 'isohub';

/** Development-only signing key, generated at start and published on `/sso/jwks`. */
function devSigningKey(): JWK {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk: JWK = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  return jwk;
}

function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}

/** `candidate` equals one of `allowed` once the port of a loopback http URL is ignored (RFC 8252 §7.3). */
export function matchesIgnoringLoopbackPort(candidate: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (!isLoopback(url)) {
    return false;
  }
  const strip = (u: URL): string => {
    const copy = new URL(u.href);
    copy.port = '';
    return copy.href;
  };
  return allowed.some((a) => {
    try {
      const other = new URL(a);
      return isLoopback(other) && strip(other) === strip(url);
    } catch {
      return false;
    }
  });
}

/**
 * The sandbox's OpenID Provider: authorization code + PKCE for the admin, client credentials for
 * automation, demo accounts, and JWT access tokens for the admin API resource (RFC 8707 resource
 * indicators + RFC 9068 `at+jwt`), so the admin verifies bearer tokens offline against `/sso/jwks`.
 */
export function createSsoProvider(issuer: string, config: SsoConfig): Provider {
  const { adminClient, automationClient } = config;
  const configuration: Configuration = {
    clients: [
      {
        client_id: adminClient.clientId,
        client_secret: adminClient.clientSecret,
        client_name: 'isohub — quản trị / admin',
        redirect_uris: adminClient.redirectUris,
        post_logout_redirect_uris: adminClient.postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        client_id: automationClient.clientId,
        client_secret: automationClient.clientSecret,
        client_name: 'isohub — tự động hóa / automation',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    findAccount: (_ctx, sub) => {
      const account = findDemoAccount(sub);
      return account
        ? {
            accountId: account.username,
            claims: () => ({
              sub: account.username,
              name: account.name,
              preferred_username: account.username,
              roles: account.roles,
              agencies: account.agencies,
            }),
          }
        : undefined;
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      [ISOHUB_SCOPE]: ['roles', 'agencies'],
    },
    scopes: ['openid', 'profile', ISOHUB_SCOPE],
    // The admin takes roles from the ID token rather than calling userinfo after every login.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        // Automation asks for the admin API implicitly; a browser login gets a userinfo token unless
        // it names the resource.
        defaultResource: (_ctx, client, oneOf) =>
          oneOf ?? (client.clientId === automationClient.clientId ? config.apiAudience : undefined),
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== config.apiAudience || !isFirstParty(config, client.clientId)) {
            throw new errors.InvalidTarget();
          }
          return {
            scope: ISOHUB_SCOPE,
            audience: config.apiAudience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 10 * 60,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      if (token.kind === 'ClientCredentials') {
        return token.clientId === automationClient.clientId
          ? { roles: automationClient.roles, agencies: automationClient.agencies }
          : undefined;
      }
      const account = token.accountId ? findDemoAccount(token.accountId) : undefined;
      return account ? { name: account.name, roles: account.roles, agencies: account.agencies } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${SSO_MOUNT}/interaction/${interaction.uid}` },
    cookies: {
      keys: config.cookieKeys.length > 0 ? config.cookieKeys : [randomBytes(32).toString('base64url')],
    },
    jwks: { keys: [devSigningKey()] },
    ttl: {
      AccessToken: 10 * 60,
      ClientCredentials: 10 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 10 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = errorPage({ error: out.error, error_description: out.error_description ?? '' });
    },
  };
  const provider = new Provider(issuer, configuration);
  if (config.anyLoopbackPort) {
    const { prototype } = provider.Client;
    const redirectAllowed = Reflect.get<typeof prototype, 'redirectUriAllowed'>(
      prototype,
      'redirectUriAllowed',
    );
    const postLogoutAllowed = Reflect.get<typeof prototype, 'postLogoutRedirectUriAllowed'>(
      prototype,
      'postLogoutRedirectUriAllowed',
    );
    prototype.redirectUriAllowed = function (this: typeof prototype, uri: string): boolean {
      return redirectAllowed.call(this, uri) || matchesIgnoringLoopbackPort(uri, this.redirectUris ?? []);
    };
    prototype.postLogoutRedirectUriAllowed = function (this: typeof prototype, uri: string): boolean {
      return (
        postLogoutAllowed.call(this, uri) ||
        matchesIgnoringLoopbackPort(uri, this.postLogoutRedirectUris ?? [])
      );
    };
  }
  return provider;
}

export const DEMO_USERNAMES = DEMO_ACCOUNTS.map((a) => a.username);

export function isFirstParty(config: SsoConfig, clientId: string): boolean {
  return clientId === config.adminClient.clientId || clientId === config.automationClient.clientId;
}
