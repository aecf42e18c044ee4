import { describe, expect, it } from 'vitest';
import type { ReconciliationMismatch } from '@isohub/persistence';
import { mismatchesCsv } from './reconciliation-csv';

const mismatch = (over: Partial<ReconciliationMismatch>): ReconciliationMismatch => ({
  id: '1',
  runId: '7',
  dossierCode: 'H56.22-260401-0001',
  agency: '000.00.01.H56',
  sender: 'opencps-h56',
  kind: 'status',
  field: 'TrangThaiHoSo',
  oneStopValue: '4',
  portalValue: '2',
  note: null,
  detectedAt: '2026-04-01T03:00:00.000Z',
  ...over,
});

function cells(csv: string): string[][] {
  return csv
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));
}

describe('mismatchesCsv', () => {
  it('starts with a UTF-8 BOM and a header, one row per mismatch', () => {
    const csv = mismatchesCsv([mismatch({})]);
    expect(csv.startsWith('\ufeffrun_id,dossier_code,')).toBe(true);
    expect(cells(csv)[1]).toEqual([
      '7',
      'H56.22-260401-0001',
      '000.00.01.H56',
      'opencps-h56',
      'status',
      'TrangThaiHoSo',
      '4',
      '2',
      '',
      '2026-04-01T03:00:00.000Z',
    ]);
  });

  // Dossier codes and portal values come from outside (senders, the portal): OWASP's CSV injection list.
  it.each(['=1+1', '+1+1', '-2+3+cmd|/C calc!A0', '@SUM(A1)', '\t=1', '\r=1'])(
    'neutralises a cell Excel would read as a formula: %j',
    (value) => {
      const csv = mismatchesCsv([mismatch({ dossierCode: value, portalValue: value })]);
      const row = csv.replace(/^\ufeff/, '').split('\r\n')[1] ?? '';
      expect(row).not.toMatch(/(^|,)"?[=+\-@\t\r]/);
      expect(row).toContain(`'${value}`);
    },
  );

  it('leaves ordinary values alone', () => {
    const csv = mismatchesCsv([mismatch({ portalValue: '20260401100548', note: 'a - b' })]);
    expect(cells(csv)[1]?.[7]).toBe('20260401100548');
    expect(cells(csv)[1]?.[8]).toBe('a - b');
  });
});
