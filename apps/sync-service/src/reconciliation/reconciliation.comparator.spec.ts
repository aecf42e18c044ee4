import { describe, expect, it } from 'vitest';
import type { DossierState } from '@isohub/events';
import { compareDossier, pickPortalItem } from './reconciliation.comparator';

const CODE = '000.00.01.H56-260401-0001';

function state(overrides: Partial<DossierState> = {}): DossierState {
  return {
    dossierCode: CODE,
    lastSequence: 3,
    lastEventId: 'e3',
    status: { national: 4, label: 'Đang xử lý', source: '4' },
    statusAt: '2026-04-01T10:00:00+07:00',
    procedure: {
      nationalCode: '1.001193',
      localCode: '1.001193',
      name: 'Thủ tục đăng ký khai sinh',
      mappingStatus: 'mapped',
    },
    sector: null,
    receivingUnit: null,
    processingUnit: null,
    channel: 'online',
    dates: {
      submittedAt: '2026-04-01T08:00:00+07:00',
      receivedAt: '2026-04-01T09:00:00+07:00',
      dueAt: '2026-04-03T17:00:00+07:00',
      previousDueAt: null,
      supplementRequestedAt: null,
      supplementReceivedAt: null,
      processingEndedAt: null,
      returnedAt: null,
      rejectedAt: null,
    },
    supplementRequests: 0,
    extensions: 0,
    currentStep: null,
    source: {
      system: 'opencps-demo',
      agency: '000.00.01.H56',
      protocol: 'dvcqg-tee',
      operation: 'DongBoHoSoMC',
    },
    updatedAt: '2026-04-01T10:00:05+07:00',
    ...overrides,
  };
}

/** The portal's copy as the sender sent it (DVCQG wire: strings, yyyyMMddHHmmss Vietnam time, "" = none). */
function portal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: CODE,
    MaTTHC: '1.001193',
    TrangThaiHoSo: '4',
    NgayTiepNhan: '20260401090000',
    NgayHenTra: '20260403170000',
    NgayKetThucXuLy: '',
    NgayTra: '00000000000000',
    ChuHoSo: 'Nguyễn Văn An',
    ...overrides,
  };
}

describe('compareDossier', () => {
  it('finds nothing when the portal holds the same meaning in its own notation', () => {
    expect(compareDossier(state(), [portal()])).toEqual([]);
    // numbers instead of strings, null instead of "" and a placeholder year: still the same
    expect(
      compareDossier(state(), [portal({ TrangThaiHoSo: 4, NgayHenTra: 20260403170000, NgayTra: null })]),
    ).toEqual([]);
  });

  it('reports a dossier the portal does not know as missing, and nothing else', () => {
    expect(compareDossier(state(), [])).toEqual([
      { kind: 'missing', field: 'MaHoSo', oneStop: CODE, portal: null, note: null },
    ]);
  });

  it('reports a different national status with both values', () => {
    expect(compareDossier(state(), [portal({ TrangThaiHoSo: '9' })])).toEqual([
      { kind: 'status', field: 'TrangThaiHoSo', oneStop: '4', portal: '9', note: null },
    ]);
    expect(compareDossier(state(), [portal({ TrangThaiHoSo: '' })])).toMatchObject([
      { kind: 'status', oneStop: '4', portal: '' },
    ]);
  });

  it('notes a Thanh Hóa pause kept on the portal as the "9" the sender sent', () => {
    const paused = state({
      status: { national: 5, label: 'Yêu cầu bổ sung giấy tờ', source: '9' },
      source: {
        system: 'thanhhoa-demo',
        agency: '000.00.00.H56',
        protocol: 'dvcqg-tee-thanhhoa',
        operation: null,
      },
    });
    const [m] = compareDossier(paused, [portal({ TrangThaiHoSo: '9' })]);
    expect(m).toMatchObject({ kind: 'status', oneStop: '5', portal: '9' });
    expect(m?.note).toContain('as the sender sent it');
  });

  it('compares dates as instants: portal Vietnam time against stored ISO', () => {
    const utcStored = state({
      dates: { ...state().dates, dueAt: '2026-04-03T10:00:00Z' },
    });
    expect(compareDossier(utcStored, [portal()])).toEqual([]);
    expect(compareDossier(state(), [portal({ NgayHenTra: '20260405170000' })])).toEqual([
      {
        kind: 'due-date',
        field: 'NgayHenTra',
        oneStop: '2026-04-03T17:00:00+07:00',
        portal: '20260405170000',
        note: null,
      },
    ]);
  });

  it('reports received, finished and returned dates that differ or exist on one side only', () => {
    const finished = state({
      status: { national: 10, label: 'Đã trả kết quả', source: '10' },
      dates: {
        ...state().dates,
        processingEndedAt: '2026-04-02T15:00:00+07:00',
        returnedAt: '2026-04-03T08:00:00+07:00',
      },
    });
    const found = compareDossier(finished, [
      portal({
        TrangThaiHoSo: '10',
        NgayTiepNhan: '20260401091500',
        NgayKetThucXuLy: '',
        NgayTra: '20260403080000',
      }),
    ]);
    expect(found.map((m) => [m.kind, m.oneStop, m.portal])).toEqual([
      ['received-date', '2026-04-01T09:00:00+07:00', '20260401091500'],
      ['finished-date', '2026-04-02T15:00:00+07:00', ''],
    ]);
  });

  it('reports an unreadable portal date as a mismatch saying why', () => {
    const [m] = compareDossier(state(), [portal({ NgayHenTra: '20261399250000' })]);
    expect(m).toMatchObject({ kind: 'due-date', portal: '20261399250000' });
    expect(m?.note).toMatch(/not a date/);
  });

  it('accepts the local or the national procedure code, and reports another one', () => {
    const local = state({
      procedure: {
        nationalCode: '3.000333',
        localCode: '2.000488.000.00.00.H56',
        name: null,
        mappingStatus: 'mapped',
      },
    });
    expect(compareDossier(local, [portal({ MaTTHC: '2.000488.000.00.00.H56' })])).toEqual([]);
    expect(compareDossier(local, [portal({ MaTTHC: '3.000333' })])).toEqual([]);
    expect(compareDossier(state(), [portal({ MaTTHC: '1.001193.000.00.00.H56' })])).toEqual([]);
    expect(compareDossier(state(), [portal({ MaTTHC: '1.004227' })])).toEqual([
      { kind: 'procedure', field: 'MaTTHC', oneStop: '1.001193', portal: '1.004227', note: null },
    ]);
  });

  it('does not compare a field the portal answer does not carry at all', () => {
    expect(compareDossier(state(), [{ MaHoSo: CODE, TrangThaiHoSo: '4' }])).toEqual([]);
  });

  it('never copies applicant data into a mismatch', () => {
    const found = compareDossier(state(), [portal({ TrangThaiHoSo: '2', NgayHenTra: '20260404170000' })]);
    expect(found).toHaveLength(2);
    expect(JSON.stringify(found)).not.toContain('Nguyễn');
  });
});

describe('pickPortalItem', () => {
  it('takes the entry naming the dossier, else the first', () => {
    const other = { MaHoSo: 'X', TrangThaiHoSo: '2' };
    const mine = { mahoso: CODE, TrangThaiHoSo: '4' };
    expect(pickPortalItem(CODE, [other, mine])).toBe(mine);
    expect(pickPortalItem(CODE, [other])).toBe(other);
    expect(pickPortalItem(CODE, ['junk'])).toBeNull();
  });
});
