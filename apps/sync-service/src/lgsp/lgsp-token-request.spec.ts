import { describe, expect, it } from 'vitest';
import { bearerToken, readTokenRequest } from './lgsp-token-request';

const form = (s: string) => Buffer.from(s, 'utf8');
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('readTokenRequest', () => {
  it('reads OpenCPS’s form body even without a Content-Type', () => {
    const r = readTokenRequest(
      form('client_secret=s%26cret&grant_type=client_credentials&client_id=abc'),
      undefined,
      undefined,
    );
    expect(r).toEqual({ ok: true, grantType: 'client_credentials', clientId: 'abc', clientSecret: 's&cret' });
  });

  it('accepts HTTP Basic client authentication with form-encoded parts', () => {
    const r = readTokenRequest(
      form('grant_type=client_credentials'),
      'application/x-www-form-urlencoded',
      basic('a b', 'p:w'),
    );
    expect(r).toMatchObject({ ok: true, clientId: 'a b', clientSecret: 'p:w' });
  });

  it('accepts a JSON body from clients that send one', () => {
    const body = form(
      JSON.stringify({ grant_type: 'client_credentials', client_id: 'abc', client_secret: 'x' }),
    );
    expect(readTokenRequest(body, 'application/json', undefined)).toMatchObject({
      ok: true,
      clientId: 'abc',
    });
  });

  it('says invalid_client without credentials and invalid_request without grant_type or with two methods', () => {
    expect(readTokenRequest(form('grant_type=client_credentials'), undefined, undefined)).toMatchObject({
      ok: false,
      error: 'invalid_client',
    });
    expect(readTokenRequest(form('client_id=a&client_secret=b'), undefined, undefined)).toMatchObject({
      ok: false,
      error: 'invalid_request',
    });
    expect(
      readTokenRequest(
        form('grant_type=client_credentials&client_id=a&client_secret=b'),
        undefined,
        basic('a', 'b'),
      ),
    ).toMatchObject({ ok: false, error: 'invalid_request' });
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header, case-insensitively', () => {
    expect(bearerToken('Bearer abc.def-1_x')).toBe('abc.def-1_x');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
