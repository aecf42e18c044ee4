/** What the upstream answered, kept whole so it can be relayed byte for byte. */
export interface UpstreamAnswer {
  status: number;
  contentType: string | null;
  /** Response headers a sender may act on (challenge, caching, redirect). */
  headers: Record<string, string>;
  body: Buffer;
}

export type RelayResult =
  | { kind: 'answer'; answer: UpstreamAnswer }
  /** No answer: `connection` (refused, reset, DNS), `timeout`, or an answer over the size cap. */
  | { kind: 'unreachable'; reason: 'connection' | 'timeout' | 'too-large'; detail: string };

/** Request headers passed upstream; everything else (cookies, hop-by-hop, Host) stays behind. */
const REQUEST_HEADERS = [
  'content-type',
  'authorization',
  'accept',
  'accept-language',
  'soapaction',
  'traceparent',
];
/** Answer headers relayed to the sender besides Content-Type. */
const ANSWER_HEADERS = ['www-authenticate', 'cache-control', 'pragma', 'location', 'retry-after'];

export interface RelayRequest {
  url: string;
  method: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer | null;
  timeoutMs: number;
  maxAnswerBytes: number;
}

/**
 * One call to the upstream with the sender's own bytes and credentials, under one overall deadline and a
 * cap on the answer's size. Redirects are not followed (they are the sender's to follow); the answer is
 * asked for uncompressed so its bytes are the upstream's bytes.
 */
export async function relay(r: RelayRequest): Promise<RelayResult> {
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  for (const name of REQUEST_HEADERS) {
    const value = r.headers[name];
    if (typeof value === 'string') {
      headers[name] = value;
    }
  }
  const signal = AbortSignal.timeout(r.timeoutMs);
  try {
    const res = await fetch(r.url, {
      method: r.method,
      headers,
      body: r.body && r.method !== 'GET' && r.method !== 'HEAD' ? r.body : undefined,
      redirect: 'manual',
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    if (res.body) {
      for await (const chunk of res.body) {
        size += (chunk as Uint8Array).length;
        if (size > r.maxAnswerBytes) {
          await res.body.cancel().catch(() => undefined);
          return {
            kind: 'unreachable',
            reason: 'too-large',
            detail: `answer over ${r.maxAnswerBytes} bytes`,
          };
        }
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
    }
    const kept: Record<string, string> = {};
    for (const name of ANSWER_HEADERS) {
      const value = res.headers.get(name);
      if (value !== null) {
        kept[name] = value;
      }
    }
    return {
      kind: 'answer',
      answer: {
        status: res.status,
        contentType: res.headers.get('content-type'),
        headers: kept,
        body: Buffer.concat(chunks),
      },
    };
  } catch (error) {
    const timedOut = signal.aborted || (error instanceof Error && error.name === 'TimeoutError');
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return {
      kind: 'unreachable',
      reason: timedOut ? 'timeout' : 'connection',
      detail: timedOut ? `no answer within ${r.timeoutMs} ms` : `${String(error)}${cause}`,
    };
  }
}
