/**
 * Reads an OAuth2 token request (RFC 6749 §4.4.2) with client authentication by HTTP Basic or by body
 * parameters (§2.3.1). OpenCPS's LGSP client (VietOpenCPS/opencps-v2, LGSPRestClient.getToken via
 * InvokeREST.callPostAPI) posts `grant_type`, `client_id` and `client_secret` URL-encoded without setting a
 * Content-Type (the JDK then sends application/x-www-form-urlencoded), so any non-JSON body is read as a form.
 */
export type TokenRequest =
  | { ok: true; grantType: string; clientId: string; clientSecret: string }
  | { ok: false; error: 'invalid_request' | 'invalid_client'; description: string; basic: boolean };

export function readTokenRequest(
  body: Buffer | undefined,
  contentType: string | undefined,
  authorization: string | undefined,
): TokenRequest {
  const params = bodyParams(body, contentType);
  const basic = basicCredentials(authorization);
  const inBody = params.get('client_id') !== null || params.get('client_secret') !== null;
  if (basic === 'malformed') {
    return { ok: false, error: 'invalid_client', description: 'malformed Basic credentials', basic: true };
  }
  if (basic !== null && inBody) {
    // §2.3: a client MUST NOT use more than one authentication method in a request.
    return { ok: false, error: 'invalid_request', description: 'client credentials sent twice', basic: true };
  }
  const clientId = basic?.id ?? params.get('client_id');
  const clientSecret = basic?.secret ?? params.get('client_secret');
  if (!clientId || !clientSecret) {
    return {
      ok: false,
      error: 'invalid_client',
      description: 'client authentication required',
      basic: false,
    };
  }
  const grantType = params.get('grant_type');
  if (!grantType) {
    return {
      ok: false,
      error: 'invalid_request',
      description: 'grant_type is required',
      basic: basic !== null,
    };
  }
  return { ok: true, grantType, clientId, clientSecret };
}

function bodyParams(body: Buffer | undefined, contentType: string | undefined): URLSearchParams {
  const text = body && body.length > 0 ? body.toString('utf8') : '';
  if (/json/i.test(contentType ?? '')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      const out = new URLSearchParams();
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
          if (typeof v === 'string') {
            out.set(k, v);
          }
        }
      }
      return out;
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}

/** §2.3.1: Basic credentials are the form-urlencoded client id and secret. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | 'malformed' | null {
  const m = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) {
    return null;
  }
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return 'malformed';
  }
  try {
    const unform = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

/** The Bearer token of an `Authorization` header (RFC 6750 §2.1), or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}
