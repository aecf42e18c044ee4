import { describe, expect, it } from 'vitest';
import {
  isWithinWorkingHours,
  type OpenCpsMessage,
  resolveDayOptions,
  simulateDay,
  type SimulatedDay,
  type ThanhHoaMessage,
  VALID_STATUS_TRANSITIONS,
} from './day-simulator';
import { PROCEDURES } from './sim-catalogue';

const big = simulateDay({ seed: 'isohub', count: 400 });
const opencps = big.messages.filter((m): m is OpenCpsMessage => m.sender === 'opencps');
const thanhhoa = big.messages.filter((m): m is ThanhHoaMessage => m.sender === 'thanhhoa');
const items = (m: OpenCpsMessage | ThanhHoaMessage) =>
  m.sender === 'opencps' ? (m.body.data ?? []) : m.body;
const snapshots = [
  ...opencps.filter((m) => m.service === 'DongBoHoSoMC'),
  ...thanhhoa.filter((m) => m.operation === 'create'),
].flatMap(items);
const progressRows = [
  ...opencps.filter((m) => m.service === 'CapNhatTienDoHoSoMC'),
  ...thanhhoa.filter((m) => m.operation === 'progress'),
].flatMap(items);

function hasStep(day: SimulatedDay, from: number, to: number): boolean {
  return day.dossiers.some((d) => d.statuses.some((s, i) => s === from && d.statuses[i + 1] === to));
}

describe('simulateDay', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(simulateDay({ seed: 42, count: 30 })).toEqual(simulateDay({ seed: 42, count: 30 }));
    expect(simulateDay({ seed: 43, count: 30 }).messages).not.toEqual(
      simulateDay({ seed: 42, count: 30 }).messages,
    );
  });

  it('numbers dossiers {agency}-{yyMMdd}-{NNNN} per agency, in order of receipt', () => {
    const codes = big.dossiers.map((d) => d.code);
    expect(new Set(codes).size).toBe(400);
    for (const d of big.dossiers) {
      expect(d.code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.H56-250701-\d{4}$/);
      expect(d.code.startsWith(`${d.agency.code}-`)).toBe(true);
    }
    const byAgency = new Map<string, { n: number; first: string }[]>();
    for (const d of big.dossiers) {
      const list = byAgency.get(d.agency.code) ?? [];
      list.push({ n: Number(d.code.slice(-4)), first: d.events[0]?.at ?? '' });
      byAgency.set(d.agency.code, list);
    }
    for (const list of byAgency.values()) {
      const sorted = [...list].sort((a, b) => a.n - b.n);
      expect(sorted.map((x) => x.n)).toEqual(sorted.map((_, i) => i + 1));
      expect(sorted.map((x) => x.first)).toEqual([...sorted.map((x) => x.first)].sort());
    }
  });

  it('moves every dossier only along valid national status transitions, ending where it may end', () => {
    for (const d of big.dossiers) {
      let previous = 0;
      for (const status of d.statuses) {
        expect(VALID_STATUS_TRANSITIONS[previous], `${d.code}: ${d.statuses.join('>')}`).toContain(status);
        previous = status;
      }
      expect([3, 4, 7, 8, 9, 10]).toContain(previous);
    }
  });

  it('covers the lifecycle a real day shows: supplements, payments, extensions, returns, refusals, stops', () => {
    expect(hasStep(big, 1, 2)).toBe(true);
    expect(hasStep(big, 2, 4)).toBe(true);
    expect(hasStep(big, 4, 4)).toBe(true);
    expect(hasStep(big, 5, 4)).toBe(true);
    expect(hasStep(big, 6, 4)).toBe(true);
    expect(hasStep(big, 9, 10)).toBe(true);
    for (const end of [3, 7, 8]) {
      expect(big.dossiers.some((d) => d.statuses.at(-1) === end)).toBe(true);
    }
    const extended = big.dossiers.filter((d) => d.events.some((e) => e.kind === 'extended'));
    expect(extended.length).toBeGreaterThan(0);
    for (const d of extended) {
      expect(d.dates.previousDueAt).not.toBeNull();
      expect(d.dates.dueAt! > d.dates.previousDueAt!).toBe(true);
    }
    const handovers = big.dossiers.flatMap((d) => d.events.filter((e) => e.kind === 'handover'));
    expect(handovers.every((h) => h.from?.title && h.to?.title && h.from.unit && h.to.unit)).toBe(true);
  });

  it('keeps every event on the simulated day and every date inside the working windows', () => {
    for (const d of big.dossiers) {
      for (const e of d.events) {
        expect(e.at.slice(0, 8)).toBe('20250701');
        for (const value of [e.at, e.stepDeadline, e.dueAt]) {
          if (value !== null) {
            expect(isWithinWorkingHours(value), `${d.code} ${value}`).toBe(true);
          }
        }
      }
    }
    const wireDates = [
      ...snapshots.flatMap((s) =>
        ['NgayTiepNhan', 'NgayHenTra', 'NgayKetThucXuLy', 'NgayTra', 'NgayTuChoi'].map((k) => s[k]),
      ),
      ...progressRows.flatMap((r) => [r['ThoiDiemXuLy'], r['NgayKetThucTheoQuyDinh']]),
    ].filter((v): v is string => typeof v === 'string' && v !== '');
    expect(wireDates.length).toBeGreaterThan(1_000);
    expect(wireDates.filter((v) => !isWithinWorkingHours(v))).toEqual([]);
  });

  it('uses real national procedure codes and some NFD Vietnamese text', () => {
    const known = new Set(PROCEDURES.map((p) => p.code));
    expect(
      big.dossiers.every((d) => known.has(d.procedure.code) && /^\d\.\d{6}$/.test(d.procedure.code)),
    ).toBe(true);
    const names = [
      ...snapshots.map((s) => String(s['ChuHoSo'])),
      ...progressRows.map((r) => String(r['NguoiXuLy'])),
    ];
    expect(names.some((n) => n !== n.normalize('NFC'))).toBe(true);
    expect(names.some((n) => /[ạ-ỹĐđ]/u.test(n))).toBe(true);
  });

  it('sends messages in time order, OpenCPS as lookup, snapshot, then progress row', () => {
    const times = big.messages.map((m) => m.atEpochMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (let i = 0; i < opencps.length; i += 3) {
      expect(opencps.slice(i, i + 3).map((m) => m.service)).toEqual([
        'TraCuuHoSo',
        'DongBoHoSoMC',
        'CapNhatTienDoHoSoMC',
      ]);
    }
    const firstSync = new Map<string, string>();
    for (const m of opencps.filter((x) => x.service === 'DongBoHoSoMC')) {
      expect(m.body.isUpdating).toBe(firstSync.has(m.dossierCode) ? 'True' : 'False');
      firstSync.set(m.dossierCode, m.at);
    }
    const openCpsItems = opencps.flatMap(items);
    const scalars = openCpsItems.flatMap((item) => Object.values(item).filter((v) => !Array.isArray(v)));
    expect(scalars.every((v) => typeof v === 'string')).toBe(true);
  });

  it('reproduces the Thanh Hóa quirks: paused sent as 9, synthetic rows, chunks of 10', () => {
    const sentStatuses = new Set(
      thanhhoa.filter((m) => m.operation === 'create').map((m) => m.body[0]?.['TrangThaiHoSo']),
    );
    for (const lie of ['5', '6', '7', '8']) {
      expect(sentStatuses.has(lie)).toBe(false);
    }
    const progress = thanhhoa.filter((m) => m.operation === 'progress');
    expect(progress.every((m) => m.body.length <= 10)).toBe(true);
    const firstRows = progress.filter(
      (m, i, all) => i === 0 || all[i - 1]?.at !== m.at || all[i - 1]?.dossierCode !== m.dossierCode,
    );
    expect(
      firstRows.every(
        (m) =>
          m.body[0]?.['NguoiXuLy'] === 'Cán bộ một cửa' && m.body[0]['NoiDungXuLy'] === 'Tiếp nhận hồ sơ',
      ),
    ).toBe(true);
    expect(
      progressRows.some((r) => r['NoiDungXuLy'] === 'Hoàn thành bổ sung hồ sơ' && r['TrangThai'] === '5'),
    ).toBe(true);
  });

  it('sends the true statuses and no synthetic rows without quirks', () => {
    const honest = simulateDay({ seed: 'isohub', count: 200, quirks: false });
    for (const d of honest.dossiers.filter((x) => x.sender === 'thanhhoa')) {
      const sent = honest.messages
        .filter(
          (m): m is ThanhHoaMessage =>
            m.sender === 'thanhhoa' && m.dossierCode === d.code && m.operation === 'create',
        )
        .map((m) => Number(m.body[0]?.['TrangThaiHoSo']));
      expect(sent).toEqual(d.statuses.filter((s) => s !== 1));
    }
    const rows = honest.messages.flatMap((m) =>
      m.sender === 'thanhhoa' && m.operation === 'progress' ? m.body : [],
    );
    expect(rows.some((r) => r['NguoiXuLy'] === 'Cán bộ một cửa')).toBe(false);
  });

  it('lets lifecycles spread over several working days when asked', () => {
    const week = simulateDay({ seed: 1, count: 50, spanDays: 5, date: '2025-07-05' });
    expect(week.date).toBe('2025-07-07');
    const days = new Set(week.dossiers.flatMap((d) => d.events.map((e) => e.at.slice(0, 8))));
    expect(days.size).toBeGreaterThan(1);
    expect([...days].every((day) => day >= '20250707' && day <= '20250711')).toBe(true);
  });

  it('refuses bad options', () => {
    expect(() => simulateDay({ seed: 1, count: -1 })).toThrow(RangeError);
    expect(() => simulateDay({ seed: 1, count: 1, openCpsShare: 2 })).toThrow(RangeError);
    expect(() => simulateDay({ seed: 1, count: 1, date: '2025-02-30' })).toThrow(RangeError);
  });
});

describe('dossier code series', () => {
  it('gives each simulated system of a day its own codes, never another sender’s', () => {
    const codes = (series: number) =>
      simulateDay({ seed: 'series', count: 40, date: '2025-07-01', series }).dossiers.map((d) => d.code);
    const tee = codes(0);
    const pull = codes(1);
    expect(new Set(tee).size).toBe(tee.length);
    expect(pull.filter((c) => tee.includes(c))).toEqual([]);
    expect(pull.every((c) => /-250701-1\d{3}$/.test(c))).toBe(true);
    expect(() => resolveDayOptions({ seed: 1, count: 1, series: 10 })).toThrow(/series/);
  });
});
