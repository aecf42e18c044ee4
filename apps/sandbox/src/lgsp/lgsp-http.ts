import type { Request, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LgspFaultInjector, TakenFault } from './lgsp-faults';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request body as bytes. The sandbox's global JSON parser has already read JSON bodies; anything else
 * (a token form, a SOAP envelope) is still in the stream: the bus's endpoints take any Content-Type.
 */
export async function rawBody(req: Request): Promise<Buffer> {
  const parsed: unknown = req.body;
  if (Buffer.isBuffer(parsed)) {
    return parsed;
  }
  if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && req.readableEnded) {
    return Buffer.from(JSON.stringify(parsed), 'utf8');
  }
  if (req.readableEnded) {
    return Buffer.alloc(0);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new Error('request body too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The token of an `Authorization: Bearer` header, or null. */
export function bearerOf(req: Request): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

const ERROR_PAGE =
  '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';

/**
 * Applies the transport-level part of a fault: delays `slow`, and answers `http500`, `timeout` and `drop`
 * itself. Returns true when the request has been dealt with; the caller answers the content faults.
 */
export async function applyTransportFault(
  fault: TakenFault | null,
  req: Request,
  res: Response,
  faults: LgspFaultInjector,
): Promise<boolean> {
  if (fault === null) {
    return false;
  }
  switch (fault.mode) {
    case 'slow':
      await sleep(fault.latencyMs);
      return false;
    case 'http500':
      res.status(500).type('text/html').send(ERROR_PAGE);
      return true;
    case 'timeout':
      faults.hold(res);
      return true;
    case 'drop':
      req.socket.destroy();
      return true;
    case 'malformed':
    case 'soapFault':
    case 'clientFault':
    case 'xxe':
    case 'bomb':
    case 'emptyPage':
    case 'changeDuringPaging':
      return false;
  }
}

/** The origin the client reached us at, for addresses in the WSDL (host header sanitised). */
export function originOf(req: Request): string {
  const host = /^[\w.\-:[\]]+$/.test(req.headers.host ?? '') ? (req.headers.host as string) : '127.0.0.1';
  return `${req.protocol}://${host}`;
}
