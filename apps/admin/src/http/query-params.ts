import { ProblemException } from './problem';

/** Integer query parameter with bounds; 400 naming the parameter when it is not one. */
export function intParam(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw ProblemException.badRequest(`/${name}`, `${name} must be an integer in [${min}, ${max}]`);
  }
  return n;
}

export function boolParam(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') {
    return fallback;
  }
  if (value === 'true' || value === '1') {
    return true;
  }
  if (value === 'false' || value === '0') {
    return false;
  }
  throw ProblemException.badRequest(`/${name}`, `${name} must be true or false`);
}

export function enumParam<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === '') {
    return fallback;
  }
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) {
    return value as T;
  }
  throw ProblemException.badRequest(`/${name}`, `${name} must be one of ${allowed.join(', ')}`);
}

export function textParam(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.normalize('NFC').trim() : undefined;
}

/** What multer hands over for a `file` field (memory storage). */
export interface UploadedFileLike {
  buffer: Buffer;
  originalname: string;
  size: number;
  mimetype: string;
}

/** Express 5 leaves `req.query` values as string | string[] | object; keep strings only. */
export type Query = Record<string, string | undefined>;
