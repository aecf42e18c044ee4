import { describe, expect, it } from 'vitest';
import {
  lgspSoapSourceFromEntry,
  redactLgspSoapSourceConfig,
  validateLgspSoapSourceConfig,
} from './lgsp-source.config';
import { redactLgspConfig, validateLgspConfig } from './lgsp.config';

const BUS = {
  baseUrl: 'https://lgsp.example.gov.vn/api/',
  clientId: 'isohub',
  clientSecret: 'the-client-secret',
  headers: { 'X-Api-Key': 'k-123', dstcode: 'H56' },
  soap: { wsdlUrl: 'https://lgsp.example.gov.vn/soap/DossierService?wsdl' },
};

describe('validateLgspConfig', () => {
  it('completes the defaults: token URL under the base, body client auth, sandbox operation names', () => {
    expect(validateLgspConfig(BUS)).toMatchObject({
      baseUrl: 'https://lgsp.example.gov.vn/api',
      tokenUrl: 'https://lgsp.example.gov.vn/api/token',
      clientAuth: 'body',
      soap: {
        endpointUrl: null,
        operations: { listChanged: 'ListChangedDossiers', history: 'GetDossierHistory' },
      },
    });
  });

  it('names the wrong key', () => {
    expect(() => validateLgspConfig({ ...BUS, clientSecret: ' ' })).toThrow(
      'lgsp config: clientSecret is required',
    );
    expect(() => validateLgspConfig({ ...BUS, tokenUrl: 'ftp://x/token' })).toThrow(
      /tokenUrl must be http or https/,
    );
    expect(() => validateLgspConfig({ ...BUS, soap: { wsdlUrl: '/etc/dossier.wsdl' } })).toThrow(
      /soap.wsdlUrl is not a URL/,
    );
    expect(() => validateLgspConfig({ ...BUS, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });

  it('masks the secret and credential-looking headers', () => {
    const shown = JSON.stringify(redactLgspConfig(validateLgspConfig(BUS)));
    expect(shown).not.toContain('the-client-secret');
    expect(shown).not.toContain('k-123');
    expect(shown).toContain('"dstcode":"H56"');
  });
});

describe('validateLgspSoapSourceConfig', () => {
  it('validates a poller entry with its defaults', () => {
    const source = validateLgspSoapSourceConfig({ kind: 'lgsp-soap', id: 'lgsp-soap-h56', lgsp: BUS });
    expect(source).toMatchObject({
      kind: 'lgsp-soap',
      agency: null,
      startFrom: '1970-01-01T00:00:00.000Z',
      overlapMs: 120_000,
      maxPageSize: 100,
      historyConcurrency: 4,
    });
    expect(JSON.stringify(redactLgspSoapSourceConfig(source))).not.toContain('the-client-secret');
  });

  it('requires the soap section and names nested keys under the entry', () => {
    expect(() =>
      validateLgspSoapSourceConfig({ id: 'x', lgsp: { ...BUS, soap: null } }, 'sources[2]'),
    ).toThrow('lgsp config: sources[2].lgsp.soap is required');
    expect(() =>
      validateLgspSoapSourceConfig({ id: 'x', lgsp: { ...BUS, clientId: '' } }, 'sources[0]'),
    ).toThrow('lgsp config: sources[0].lgsp.clientId is required');
    expect(() => validateLgspSoapSourceConfig({ id: 'X Y', lgsp: BUS })).toThrow(/source.id/);
    expect(() => validateLgspSoapSourceConfig({ id: 'x', lgsp: BUS, startFrom: 'yesterday' })).toThrow(
      /startFrom/,
    );
  });
});

describe('lgspSoapSourceFromEntry', () => {
  it('takes the secret from the variable lgsp.clientSecretEnv names, else the inline one', () => {
    const entry = {
      id: 'lgsp-soap-h56',
      type: 'lgsp-soap',
      lgsp: { ...BUS, clientSecretEnv: 'LGSP_SECRET' },
    };
    const env: Record<string, string> = { LGSP_SECRET: 'from-the-environment' };
    expect(lgspSoapSourceFromEntry(entry, 'sources[0]', (n) => env[n]).lgsp.clientSecret).toBe(
      'from-the-environment',
    );
    expect(lgspSoapSourceFromEntry(entry, 'sources[0]', () => undefined).lgsp.clientSecret).toBe(
      'the-client-secret',
    );
    expect(() =>
      lgspSoapSourceFromEntry(
        { id: 'x', lgsp: { ...BUS, clientSecret: undefined } },
        'sources[1]',
        () => undefined,
      ),
    ).toThrow('lgsp config: sources[1].lgsp.clientSecret is required');
  });
});
