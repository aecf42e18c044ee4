import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseCatalogueTimes, type UnparsedTime } from './processing-time';

const CSV = resolve(__dirname, '../../../../shared/data/procedures.csv');

interface Row {
  code: string;
  time_in_person: string;
  time_online: string;
  time_postal: string;
}

/** The whole national catalogue (DOMAIN.md §5.4): 5,608 procedures, ~2,000 with a time text. */
describe.skipIf(!existsSync(CSV))('processing times of the whole catalogue', () => {
  const rows: Row[] = parse(readFileSync(CSV, 'utf8'), { columns: true, bom: true, skip_empty_lines: true });

  it('parses nearly every filled time cell and names each one it cannot read', () => {
    let filled = 0;
    let parsed = 0;
    let rowsWithTime = 0;
    const unparsed: (UnparsedTime & { code: string })[] = [];
    for (const row of rows) {
      const r = parseCatalogueTimes(row);
      const n = Object.keys(r.parsed).length;
      filled += n + r.unparsed.length;
      parsed += n;
      if (n + r.unparsed.length > 0) {
        rowsWithTime += 1;
      }
      unparsed.push(...r.unparsed.map((u) => ({ ...u, code: row.code })));
    }
    expect(rows).toHaveLength(5608);
    expect(rowsWithTime).toBe(2023);
    const share = parsed / filled;
    console.info(
      `processing times: ${parsed}/${filled} filled cells parsed (${(share * 100).toFixed(2)} %), ` +
        `${unparsed.length} left for a human`,
    );
    expect(share).toBeGreaterThan(0.98);
    expect(parsed + unparsed.length).toBe(filled);
    for (const u of unparsed) {
      expect(u.code).not.toBe('');
      expect(u.text).not.toBe('');
      expect(['no_duration', 'several_durations', 'open_ended']).toContain(u.reason);
    }
    expect(unparsed.map((u) => u.text)).toContain('Theo mô tả ngày');
  });
});
