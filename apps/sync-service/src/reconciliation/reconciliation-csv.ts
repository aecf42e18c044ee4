import { stringify } from 'csv-stringify/sync';
import type { ReconciliationMismatch } from '@isohub/persistence';

const COLUMNS = [
  'run_id',
  'dossier_code',
  'agency',
  'sender',
  'kind',
  'field',
  'onestop_value',
  'portal_value',
  'note',
  'detected_at',
] as const;

/**
 * Excel would run a cell starting with these as a formula (CSV injection, OWASP's list: = + - @ tab CR);
 * a leading apostrophe stops it. Dossier codes and portal values come from outside the hub.
 */
function cell(value: string | null): string {
  if (value === null) {
    return '';
  }
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A run's mismatches as CSV with a UTF-8 BOM, so Excel opens Vietnamese text correctly. */
export function mismatchesCsv(rows: readonly ReconciliationMismatch[]): string {
  const body = stringify(
    rows.map((m) =>
      [
        m.runId,
        m.dossierCode,
        m.agency,
        m.sender,
        m.kind,
        m.field,
        m.oneStopValue,
        m.portalValue,
        m.note,
        m.detectedAt,
      ].map(cell),
    ),
    { header: true, columns: [...COLUMNS], record_delimiter: '\r\n' },
  );
  return `\ufeff${body}`;
}
