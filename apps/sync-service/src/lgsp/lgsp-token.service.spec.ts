import { describe, expect, it } from 'vitest';
import type { SenderConfig, SyncServiceConfig } from '../config/sync-service.config';
import { LgspTokenService } from './lgsp-token.service';

const lgsp: SenderConfig = {
  id: 'opencps.lgsp-x',
  style: 'lgsp',
  mode: 'takeover',
  upstream: {},
  profile: 'opencps',
  agency: null,
  clientId: 'client-x',
  clientSecret: 'a-long-enough-client-secret',
  allowFrom: [],
  applicantFields: [],
};
const portal: SenderConfig = { ...lgsp, id: 'opencps-portal', style: 'opencps', clientId: undefined };

function service(senders: SenderConfig[] = [lgsp, portal], secret = 'test-session-secret-0123') {
  return new LgspTokenService({
    senders,
    sessionSecret: secret,
    lgspTokenTtlSeconds: 3600,
  } as SyncServiceConfig);
}

describe('LgspTokenService', () => {
  const now = Date.parse('2026-04-01T03:00:00Z');

  it('authenticates lgsp senders by client id and secret only', () => {
    const s = service();
    expect(s.authenticate('client-x', 'a-long-enough-client-secret')?.id).toBe('opencps.lgsp-x');
    expect(s.authenticate('client-x', 'wrong')).toBeNull();
    expect(s.authenticate('nobody', 'a-long-enough-client-secret')).toBeNull();
  });

  it('issues tokens that verify across instances (a restart) until they expire', () => {
    const issued = service().issue(lgsp, now);
    expect(issued.expiresIn).toBe(3600);
    expect(service().verify(issued.accessToken, now + 3_599_000)?.id).toBe('opencps.lgsp-x');
    expect(service().verify(issued.accessToken, now + 3_600_000)).toBeNull();
  });

  it('refuses forged, tampered and foreign tokens', () => {
    const s = service();
    const { accessToken } = s.issue(lgsp, now);
    const [id, exp, sig] = [
      accessToken.split('.').slice(0, -2).join('.'),
      ...accessToken.split('.').slice(-2),
    ];
    expect(s.verify(`${id}.${(parseInt(exp ?? '', 36) + 99_999).toString(36)}.${sig}`, now)).toBeNull();
    expect(s.verify(`opencps-portal.${exp}.${sig}`, now)).toBeNull();
    expect(s.verify('not-a-token', now)).toBeNull();
    expect(service([lgsp, portal], 'another-session-secret!!').verify(accessToken, now)).toBeNull();
  });

  it('revokes tokens when the client secret is rotated', () => {
    const { accessToken } = service().issue(lgsp, now);
    const rotated = service([{ ...lgsp, clientSecret: 'the-new-client-secret-value' }, portal]);
    expect(rotated.verify(accessToken, now)).toBeNull();
  });
});
