import type { Channel, DossierDates } from '@isohub/events';
import type { FieldError, MappingContext } from './mapping.contract';
import { latest } from './dossier-state';
import { WireReader, type WireStatus } from './wire-fields';

/** One DongBoHoSoMC item (DOMAIN.md §4.3), validated and typed; only what the events need. */
export interface DossierSnapshot {
  dossierCode: string;
  status: WireStatus;
  procedureCode: string | null;
  procedureName: string | null;
  sectorCode: string | null;
  sectorName: string | null;
  channel: Channel | null;
  processingUnitName: string | null;
  /** Agency code of the processing unit, when the wire carries one (LGSP `OrganInchargeIdLevel1`). */
  processingUnitCode?: string | null;
  /** The item's own dates; `previousDueAt` is isohub's, never the sender's. */
  dates: Omit<DossierDates, 'previousDueAt'>;
}

export type SnapshotRead =
  { ok: true; snapshot: DossierSnapshot } | { ok: false; dossierCode: string | null; errors: FieldError[] };

const CHANNELS: Readonly<Record<number, Channel>> = { 1: 'in_person', 2: 'online', 3: 'postal' };

/** Reads and validates an item that is already an NFC plain object. */
export function readDossierSync(item: Record<string, unknown>, ctx: MappingContext): SnapshotRead {
  const r = new WireReader(item, ctx);
  const dossierCode = r.dossierCode();
  const status = r.status('TrangThaiHoSo');
  const channelCode = r.code('KenhThucHien', [1, 2, 3]);
  const text = {
    procedureCode: r.text('MaTTHC'),
    procedureName: r.text('TenTTHC'),
    sectorCode: r.text('MaLinhVuc'),
    sectorName: r.text('TenLinhVuc'),
    processingUnitName: r.text('DonViXuLy'),
  };
  const own = {
    submittedAt: r.date('NgayNopHoSo'),
    receivedAt: r.date('NgayTiepNhan'),
    dueAt: r.date('NgayHenTra'),
    processingEndedAt: r.date('NgayKetThucXuLy'),
    returnedAt: r.date('NgayTra'),
    rejectedAt: r.date('NgayTuChoi'),
    // Thanh Hóa sends the latest request at the top level (HoSo.NgayYeuCauBoSung); not in the §4.3 union.
    supplementRequestedAt: r.date('NgayYeuCauBoSung'),
  };
  const supplements = r.list('DanhSachHoSoBoSung').map((s) => ({
    requestedAt: s.date('NgayBoSung'),
    receivedAt: s.date('NgayTiepNhanBoSung'),
    reader: s,
  }));
  const errors = r.collect(supplements.map((s) => s.reader));
  if (errors.length > 0 || dossierCode === null) {
    return { ok: false, dossierCode, errors };
  }

  // The most recent supplement round says when the last request was made and whether it was answered.
  const lastRound = supplements.reduce<(typeof supplements)[number] | null>(
    (best, s) => (best === null || latest(s.requestedAt, best.requestedAt) === s.requestedAt ? s : best),
    null,
  );
  return {
    ok: true,
    snapshot: {
      dossierCode,
      status,
      ...text,
      channel: channelCode === null ? null : (CHANNELS[channelCode] ?? null),
      dates: {
        ...own,
        supplementRequestedAt: latest(own.supplementRequestedAt, lastRound?.requestedAt),
        supplementReceivedAt: lastRound?.receivedAt ?? null,
      },
    },
  };
}

/** The latest time the item itself vouches for (not NgayHenTra, which is in the future). */
export function snapshotAsOf(s: DossierSnapshot): string | null {
  const d = s.dates;
  return latest(
    d.submittedAt,
    d.receivedAt,
    d.rejectedAt,
    d.processingEndedAt,
    d.returnedAt,
    d.supplementRequestedAt,
    d.supplementReceivedAt,
  );
}
