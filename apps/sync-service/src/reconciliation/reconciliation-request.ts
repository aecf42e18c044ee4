import { BadRequestException } from '@nestjs/common';
import { MAX_DOSSIER_CODE_LENGTH } from '@isohub/mapping';

/** What a run looks at: the dossiers changed within a window, or the listed ones. */
export type ReconciliationScope =
  { mode: 'window'; windowHours: number; limit: number } | { mode: 'list'; dossiers: string[] };

const MAX_WINDOW_HOURS = 366 * 24;

function invalid(field: string, code: string, message: string): BadRequestException {
  return new BadRequestException({ message, errors: [{ field, code, message }] });
}

/**
 * Reads `POST /ops/reconciliation/runs`: nothing, `{ "dossiers": [codes] }` or `{ "windowHours": n }`.
 * Errors are 400 problem+json naming the field (JSON pointer).
 */
export function parseRunRequest(
  raw: Buffer,
  defaults: { windowHours: number; maxDossiers: number },
): ReconciliationScope {
  const window = (hours: number): ReconciliationScope => ({
    mode: 'window',
    windowHours: hours,
    limit: defaults.maxDossiers,
  });
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  if (text.trim() === '') {
    return window(defaults.windowHours);
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw invalid('/', 'format', 'the body must be JSON: {} | { "dossiers": [...] } | { "windowHours": n }');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('/', 'type', 'the body must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => k !== 'dossiers' && k !== 'windowHours');
  if (unknown !== undefined) {
    throw invalid(`/${unknown}`, 'unknown', `unknown member "${unknown}"; use dossiers or windowHours`);
  }
  if ('dossiers' in record && 'windowHours' in record) {
    throw invalid('/dossiers', 'conflict', 'give either dossiers or windowHours, not both');
  }
  if ('windowHours' in record) {
    const hours = record['windowHours'];
    if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > MAX_WINDOW_HOURS) {
      throw invalid('/windowHours', 'range', `windowHours must be an integer from 1 to ${MAX_WINDOW_HOURS}`);
    }
    return window(hours);
  }
  if (!('dossiers' in record)) {
    return window(defaults.windowHours);
  }
  const list = record['dossiers'];
  if (!Array.isArray(list) || list.length === 0 || list.length > defaults.maxDossiers) {
    throw invalid(
      '/dossiers',
      'range',
      `dossiers must be an array of 1 to ${defaults.maxDossiers} dossier codes (RECONCILE_MAX_DOSSIERS)`,
    );
  }
  const codes = list.map((item, i) => {
    const code = typeof item === 'string' ? item.normalize('NFC').trim() : '';
    if (code === '' || code.length > MAX_DOSSIER_CODE_LENGTH) {
      throw invalid(
        `/dossiers/${i}`,
        'format',
        `each dossier code must be a non-empty string of at most ${MAX_DOSSIER_CODE_LENGTH} characters`,
      );
    }
    return code;
  });
  return { mode: 'list', dossiers: [...new Set(codes)] };
}
