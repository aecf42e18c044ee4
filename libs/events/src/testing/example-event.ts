import type { DossierEventData, DossierState, SequencedEvent } from '../dossier-event';
import { eventTypeOf } from '../event-types';

/** Partial at every depth; arrays and `null` replace rather than merge. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | null }
    : T;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

function merge<T>(base: T, overrides: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(overrides)) {
    return (overrides === undefined ? base : overrides) as T;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) {
      out[key] = merge(out[key], value);
    }
  }
  return out as T;
}

/**
 * A complete, schema-valid STEP_HANDOVER (birth registration handed from the one-stop counter to
 * the justice department, Thanh Hóa-style codes). Fresh object on every call; nested overrides
 * merge: `exampleEventData({ status: { national: 5 } })`. No applicant data unless overridden.
 */
export function exampleEventData(overrides: DeepPartial<DossierEventData> = {}): DossierEventData {
  const base: DossierEventData = {
    dossierCode: '000.00.01.H56-250701-0001',
    milestone: 'STEP_HANDOVER',
    occurredAt: '2025-07-01T14:30:00+07:00',
    procedure: {
      nationalCode: '1.001193',
      localCode: '1.001193.000.00.00.H56',
      name: 'Đăng ký khai sinh',
      mappingStatus: 'mapped',
    },
    sector: { code: 'G09-TP03', name: 'Hộ tịch' },
    receivingUnit: { code: '000.00.01.H56', name: 'Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa' },
    processingUnit: { code: '000.00.12.H56', name: 'Sở Tư pháp tỉnh Thanh Hóa' },
    channel: 'online',
    status: { national: 4, label: 'Đang xử lý', source: 'processing' },
    previousStatus: 2,
    dates: {
      submittedAt: '2025-07-01T08:15:00+07:00',
      receivedAt: '2025-07-01T09:00:00+07:00',
      dueAt: '2025-07-04T17:00:00+07:00',
      previousDueAt: null,
      supplementRequestedAt: null,
      supplementReceivedAt: null,
      processingEndedAt: null,
      returnedAt: null,
      rejectedAt: null,
    },
    handover: {
      stepFrom: 'Tiếp nhận và kiểm tra hồ sơ',
      stepTo: 'Thẩm định',
      unitFrom: { code: '000.00.01.H56', name: 'Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa' },
      unitTo: { code: '000.00.12.H56', name: 'Sở Tư pháp tỉnh Thanh Hóa' },
      userFrom: { id: 'sso|a1b2c3', name: 'Nguyễn Văn An', title: 'Chuyên viên' },
      userTo: { id: 'sso|d4e5f6', name: 'Trần Thị Bình', title: 'Chuyên viên' },
      handedOverAt: '2025-07-01T14:30:00+07:00',
      stepStartedAt: '2025-07-01T09:00:00+07:00',
      stepDeadline: '2025-07-01T11:00:00+07:00',
      action: 'Chuyển bước xử lý',
      note: null,
    },
    source: {
      system: 'opencps-tinh-x',
      agency: '000.00.01.H56',
      protocol: 'dvcqg-tee',
      operation: 'CapNhatTienDoHoSoMC',
    },
    mappingVersion: '2025-07-01.1',
  };
  return merge(base, overrides);
}

/** Event ids are deterministic UUIDs (version 8) derived from the upstream change. */
export const EXAMPLE_EVENT_ID = '0f8e3a52-9c1d-8b47-a6e2-5d03c9b71f44';

/** A sequenced event around `exampleEventData`, with type, subject and time derived from the data. */
export function exampleSequencedEvent(
  overrides: Partial<Omit<SequencedEvent, 'data'>> & { data?: DeepPartial<DossierEventData> } = {},
): SequencedEvent {
  const { data: dataOverrides, ...envelope } = overrides;
  const data = exampleEventData(dataOverrides);
  return {
    id: EXAMPLE_EVENT_ID,
    type: eventTypeOf(data.milestone),
    source: `isohub://${data.source.system}/${data.source.agency ?? '-'}`,
    subject: data.dossierCode,
    time: data.occurredAt,
    sequence: 1,
    ...envelope,
    data,
  };
}

/** A schema-valid snapshot matching `exampleEventData()` after its first event. */
export function exampleDossierState(overrides: DeepPartial<DossierState> = {}): DossierState {
  const event = exampleEventData();
  const base: DossierState = {
    dossierCode: event.dossierCode,
    lastSequence: 1,
    lastEventId: EXAMPLE_EVENT_ID,
    status: event.status,
    statusAt: event.occurredAt,
    procedure: event.procedure,
    sector: event.sector,
    receivingUnit: event.receivingUnit,
    processingUnit: event.processingUnit,
    channel: event.channel,
    dates: event.dates,
    supplementRequests: 0,
    extensions: 0,
    currentStep: 'Thẩm định',
    source: event.source,
    updatedAt: '2025-07-01T14:30:05+07:00',
  };
  return merge(base, overrides);
}
