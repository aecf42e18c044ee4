import { Logger } from '@nestjs/common';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { type Client, createClientAsync } from 'soap';
import { asArray, isRecord, readBoolean, readCount, readInstant, readWireRecord } from './lgsp-soap-wire';
import { bodyText, createLgspHttp, describeRequest, type LgspRequestGate, toLgspError } from './lgsp-http';
import type { LgspTokenClient } from './lgsp-token.client';
import { assertSafeXml, assertWellFormedXml } from './lgsp-xml';
import type { LgspConfig, LgspSoapConfig } from './lgsp.config';
import { isLgspError, LgspError, lgspErrorForStatus, soapFaultIsRetryable } from './lgsp.errors';
import type {
  ChangedDossier,
  ChangedDossierPage,
  DossierHistoryParams,
  LgspConnectionCheck,
  LgspDossierServicePort,
  ListChangedDossiersParams,
} from './lgsp.port';

type SoapMethod = (
  args: unknown,
  options?: Record<string, unknown>,
  extraHeaders?: Record<string, string>,
) => Promise<[unknown, ...unknown[]]>;

const FAULT_ELEMENT = /<(?:[\w.-]+:)?Fault[\s>/]/;

/**
 * The guard every byte from the bus passes before `soap` parses it (WSDL, imported schemas, answers):
 * - a DTD or entity declaration anywhere: XML_UNSAFE. `soap` parses with sax, which does not resolve external
 *   entities or expand DTD-declared ones, but it also strips whatever precedes the Envelope before parsing
 *   (HttpClient.handleResponse), so such an answer would otherwise be read as if it were clean;
 * - 401/403: AUTH_FAILED (the token client retries a 401 once with a new token);
 * - any other non-2xx without a SOAP Fault in it: classified by status (SOAP 1.1 sends Faults with HTTP 500,
 *   SOAP 1.2 with 400 or 500, so a Fault body is left to `soap` to read);
 * - an empty or malformed body: BAD_RESPONSE, with the parser's position, instead of `soap`'s opaque
 *   "Invalid XML" fault object.
 */
export function guardSoapResponse(response: AxiosResponse): AxiosResponse {
  const what = describeRequest(response.config.method, response.config.url);
  const text = bodyText(response);
  const keep = (error: unknown) =>
    isLgspError(error) ? error.withPayload(Buffer.from(text, 'utf8'), what) : error;
  try {
    assertSafeXml(text, what);
  } catch (error) {
    throw keep(error);
  }
  const status = response.status;
  if (status === 401 || status === 403 || (status >= 300 && !FAULT_ELEMENT.test(text))) {
    throw lgspErrorForStatus(status, what);
  }
  if (text.trim() === '') {
    throw new LgspError('BAD_RESPONSE', `${what}: empty answer (HTTP ${status})`);
  }
  try {
    assertWellFormedXml(text, what);
  } catch (error) {
    throw keep(error);
  }
  return response;
}

function faultText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (isRecord(value)) {
    for (const key of ['$value', 'Value', 'Text']) {
      if (key in value) {
        return faultText(value[key]);
      }
    }
  }
  return '';
}

/** The SOAP 1.1 (`faultcode`/`faultstring`) or 1.2 (`Code/Value`, `Reason/Text`) Fault of a `soap` error. */
function readFault(error: unknown): { code: string; reason: string } | null {
  const root = isRecord(error) ? error['root'] : undefined;
  const envelope = isRecord(root) ? root['Envelope'] : undefined;
  const body = isRecord(envelope) ? envelope['Body'] : undefined;
  const fault = isRecord(body) ? body['Fault'] : undefined;
  if (!isRecord(fault)) {
    return null;
  }
  const code = faultText(fault['faultcode']) || faultText(fault['Code']) || 'unknown';
  const reason = faultText(fault['faultstring']) || faultText(fault['Reason']);
  return { code, reason };
}

/** Any rejection of the `soap` client as an LgspError. */
export function toSoapError(error: unknown, what: string): LgspError {
  if (isLgspError(error)) {
    return error;
  }
  const fault = readFault(error);
  if (fault) {
    // The fault string is the bus's own text about the request; cut it short, it is not ours to echo at length.
    const reason = fault.reason.normalize('NFC').slice(0, 300);
    return new LgspError('SOAP_FAULT', `${what}: SOAP Fault ${fault.code}${reason ? `: ${reason}` : ''}`, {
      faultCode: fault.code,
      retryable: soapFaultIsRetryable(fault.code),
    });
  }
  if (isRecord(error) && isRecord(error['Fault'])) {
    // sax's parse errors reach us as a bare `{ Fault: { faultstring: 'Invalid XML' } }` object.
    return new LgspError('BAD_RESPONSE', `${what}: malformed XML (${faultText(error['Fault']['detail'])})`);
  }
  if (error instanceof Error && !('isAxiosError' in error)) {
    return new LgspError('BAD_RESPONSE', `${what}: unusable answer (${error.message.slice(0, 200)})`, {
      cause: new Error(error.message),
    });
  }
  return toLgspError(error, what);
}

/**
 * WSDL imports may only come from the WSDL's own origin: `soap` reads a non-http location from the local disk.
 */
function sameOriginImports(wsdlUrl: string): (resolved: string) => string {
  const origin = new URL(wsdlUrl).origin;
  return (resolved: string) => {
    let target: string | null = null;
    try {
      target = new URL(resolved).origin;
    } catch {
      // not a URL: a file path
    }
    if (target !== origin) {
      throw new LgspError(
        'XML_UNSAFE',
        `WSDL: import from "${resolved.slice(0, 120)}" refused (only ${origin})`,
      );
    }
    return resolved;
  };
}

/** Every `soap:address` the WSDL advertises. */
function advertisedAddresses(client: Client): string[] {
  const services =
    (client.wsdl.definitions as unknown as { services?: Record<string, unknown> }).services ?? {};
  return Object.values(services).flatMap((service) => {
    const ports = isRecord(service) && isRecord(service['ports']) ? service['ports'] : {};
    return Object.values(ports)
      .map((port) => (isRecord(port) ? port['location'] : undefined))
      .filter((location): location is string => typeof location === 'string');
  });
}

/**
 * The bearer token goes wherever the WSDL's `soap:address` says: an address on another origin than the WSDL's
 * (a proxy advertising its internal host, or a tampered WSDL) is refused unless `soap.endpointUrl` says where
 * to call instead.
 */
function checkEndpoint(client: Client, soap: LgspSoapConfig): void {
  if (soap.endpointUrl !== null) {
    return;
  }
  const origin = new URL(soap.wsdlUrl).origin;
  for (const address of advertisedAddresses(client)) {
    let target = '';
    try {
      target = new URL(address).origin;
    } catch {
      // not a URL: refused below
    }
    if (target !== origin) {
      throw new LgspError(
        'REJECTED',
        `WSDL: the service address ${address.slice(0, 120)} is not on ${origin}; set soap.endpointUrl to call it`,
      );
    }
  }
}

/**
 * The bus's SOAP dossier service through the `soap` package, from its WSDL (fetched once, then cached per
 * instance; fetched again after a failure). Every answer passes `guardSoapResponse` before `soap` parses it.
 */
export class LgspSoapAdapter implements LgspDossierServicePort {
  private readonly logger = new Logger(LgspSoapAdapter.name);
  private readonly http: AxiosInstance;
  private readonly soap: LgspSoapConfig;
  private client: Promise<Client> | null = null;

  constructor(
    config: LgspConfig,
    private readonly tokens: LgspTokenClient,
    options: { gate?: LgspRequestGate } = {},
  ) {
    if (config.soap === null) {
      throw new LgspError('REJECTED', 'the LGSP configuration has no soap section');
    }
    this.soap = config.soap;
    this.http = createLgspHttp(config, options.gate);
    this.http.interceptors.response.use(guardSoapResponse);
  }

  async listChangedDossiers({
    since,
    page,
    pageSize,
  }: ListChangedDossiersParams): Promise<ChangedDossierPage> {
    const operation = this.soap.operations.listChanged;
    const result = await this.call(operation, { Since: since, Page: page, PageSize: pageSize });
    const record = isRecord(result) ? result : {};
    const body = isRecord(record[`${operation}Result`])
      ? (record[`${operation}Result`] as Record<string, unknown>)
      : record;
    const list = body['Dossiers'];
    const dossiers = asArray(isRecord(list) ? list['Dossier'] : list).map((raw): ChangedDossier => {
      const { ModifiedTime: modified, ...document } = readWireRecord(raw);
      return { modifiedAt: readInstant(modified), document };
    });
    const total = readCount(body['Total']);
    const hasMore = readBoolean(body['HasMore']) ?? (total !== null && page * pageSize < total);
    return {
      dossiers,
      page: readCount(body['Page']) ?? page,
      pageSize: readCount(body['PageSize']) ?? pageSize,
      total,
      hasMore,
    };
  }

  async getDossierHistory({ docCode }: DossierHistoryParams): Promise<Record<string, unknown>[]> {
    const operation = this.soap.operations.history;
    const result = await this.call(operation, { DocCode: docCode });
    const record = isRecord(result) ? result : {};
    const body = isRecord(record[`${operation}Result`])
      ? (record[`${operation}Result`] as Record<string, unknown>)
      : record;
    const list = body['Traces'];
    return asArray(isRecord(list) ? list['Trace'] : list).map((raw) => readWireRecord(raw));
  }

  /** A fresh token, a fresh WSDL, and one one-item page of changes: what the poller will need. */
  async checkConnection(): Promise<LgspConnectionCheck> {
    this.client = null;
    try {
      await this.tokens.check();
      await this.listChangedDossiers({ since: new Date().toISOString(), page: 1, pageSize: 1 });
      return {
        ok: true,
        detail: `token obtained and ${this.soap.operations.listChanged} answered (${this.soap.wsdlUrl})`,
      };
    } catch (error) {
      const failure = toSoapError(error, 'checkConnection');
      return { ok: false, detail: `${failure.code}: ${failure.message} (${this.soap.wsdlUrl})` };
    }
  }

  private async call(operation: string, args: Record<string, unknown>): Promise<unknown> {
    return this.tokens.withToken(async (token) => {
      const client = await this.loadClient(token);
      const method = (client as unknown as Record<string, unknown>)[`${operation}Async`];
      if (typeof method !== 'function') {
        throw new LgspError(
          'BAD_RESPONSE',
          `the WSDL at ${this.soap.wsdlUrl} has no operation ${operation}`,
          {
            retryable: false,
          },
        );
      }
      const started = Date.now();
      try {
        const [result] = await (method as SoapMethod).call(
          client,
          args,
          {},
          { Authorization: `Bearer ${token}` },
        );
        this.logger.debug(`${operation}: answered in ${Date.now() - started} ms`);
        return result;
      } catch (error) {
        const failure = toSoapError(error, operation);
        this.logger.warn(
          `${operation}: ${failure.code} after ${Date.now() - started} ms: ${failure.message}`,
        );
        throw failure;
      }
    });
  }

  private loadClient(token: string): Promise<Client> {
    this.client ??= createClientAsync(this.soap.wsdlUrl, {
      request: this.http,
      // Our own cache (this.client): `soap`'s is process-wide and would outlive a changed WSDL.
      disableCache: true,
      wsdl_headers: { Authorization: `Bearer ${token}` },
      wsdl_options: { overrideImportLocation: sameOriginImports(this.soap.wsdlUrl) },
      ...(this.soap.endpointUrl ? { endpoint: this.soap.endpointUrl } : {}),
    })
      .then((client) => {
        checkEndpoint(client, this.soap);
        return client;
      })
      .catch((error: unknown) => {
        this.client = null;
        throw toSoapError(error, 'WSDL');
      });
    return this.client;
  }
}
