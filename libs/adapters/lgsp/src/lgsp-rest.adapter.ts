import { Logger } from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import { bodyText, contentTypeOf, createLgspHttp, type LgspRequestGate } from './lgsp-http';
import type { LgspTokenClient } from './lgsp-token.client';
import { parseSafeXml } from './lgsp-xml';
import type { LgspConfig } from './lgsp.config';
import { isLgspError, LgspError, lgspErrorForStatus } from './lgsp.errors';
import type { CallRestParams, LgspConnectionCheck, LgspRestAnswer, LgspRestPort } from './lgsp.port';

const XML_TYPE = /[/+]xml$/;
const JSON_TYPE = /[/+]json$/;

/** Reads an answer by its media type; an untyped answer is sniffed (`{`/`[` JSON, `<` XML). */
export function readRestBody(text: string, contentType: string, what: string): unknown {
  const start = text.trimStart()[0] ?? '';
  const asJson = JSON_TYPE.test(contentType) || (contentType === '' && (start === '{' || start === '['));
  const asXml =
    XML_TYPE.test(contentType) || ((contentType === '' || contentType === 'text/plain') && start === '<');
  if (text.trim() === '') {
    return null;
  }
  if (asJson) {
    try {
      return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
    } catch {
      throw new LgspError('BAD_RESPONSE', `${what}: the answer is not valid JSON`);
    }
  }
  if (asXml) {
    return parseSafeXml(text, what);
  }
  return text;
}

/** The bus's REST services over axios, with a bearer token from the shared token client. */
export class LgspRestAdapter implements LgspRestPort {
  private readonly logger = new Logger(LgspRestAdapter.name);
  private readonly http: AxiosInstance;

  constructor(
    private readonly config: LgspConfig,
    private readonly tokens: LgspTokenClient,
    options: { http?: AxiosInstance; gate?: LgspRequestGate } = {},
  ) {
    this.http = options.http ?? createLgspHttp(config, options.gate);
  }

  async callRest({
    path,
    method = 'POST',
    body,
    contentType,
    accept,
    query,
  }: CallRestParams): Promise<LgspRestAnswer> {
    if (!path.startsWith('/') || path.startsWith('//')) {
      // An absolute URL would send the bearer token to whichever host it names.
      throw new LgspError(
        'REJECTED',
        `callRest: path must start with a single "/" (got "${path.slice(0, 40)}")`,
      );
    }
    const url = `${this.config.baseUrl}${path}`;
    const what = `${method} ${path}`;
    const payload =
      body === undefined || body === null
        ? undefined
        : typeof body === 'string' || Buffer.isBuffer(body)
          ? body
          : JSON.stringify(body);
    const type =
      contentType ??
      (payload === undefined
        ? undefined
        : typeof body === 'object' && !Buffer.isBuffer(body)
          ? 'application/json'
          : 'text/plain');
    return this.tokens.withToken(async (token) => {
      const started = Date.now();
      const response = await this.http.request<string>({
        url,
        method,
        params: query,
        data: payload,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: accept ?? 'application/json, application/xml;q=0.9, */*;q=0.1',
          ...(type ? { 'Content-Type': type } : {}),
        },
      });
      this.logger.debug(`${what}: HTTP ${response.status} in ${Date.now() - started} ms`);
      if (response.status >= 300) {
        // The refusal's body is the bus's reason: callers keep it (a forwarder stores it with the failed job).
        throw lgspErrorForStatus(response.status, what).withPayload(
          Buffer.from(bodyText(response), 'utf8'),
          what,
        );
      }
      const text = bodyText(response);
      const mediaType = contentTypeOf(response);
      let data: unknown;
      try {
        data = readRestBody(text, mediaType, what);
      } catch (error) {
        throw isLgspError(error)
          ? error.withPayload(Buffer.from(text, 'utf8'), what, response.status)
          : error;
      }
      return { status: response.status, contentType: mediaType, data, text };
    });
  }

  /** Fetches a token afresh: the REST side needs nothing more to be usable. */
  async checkConnection(): Promise<LgspConnectionCheck> {
    try {
      const lifetime = await this.tokens.check();
      return { ok: true, detail: `token obtained at ${this.config.tokenUrl} (valid ${lifetime} s)` };
    } catch (error) {
      const failure = isLgspError(error) ? error : new LgspError('UNAVAILABLE', String(error));
      return { ok: false, detail: `${failure.code}: ${failure.message} (${this.config.tokenUrl})` };
    }
  }
}
