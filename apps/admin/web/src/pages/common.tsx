import { ApiError, type FieldError, type RowError } from '../api';
import { useT } from '../i18n';

/** An API error as a message, with the problem's field errors listed. */
export function ErrorBox({ error }: { error: unknown }) {
  const t = useT();
  if (error === null || error === undefined) {
    return null;
  }
  const api = error instanceof ApiError ? error : null;
  const text =
    api?.status === 403 ? t('forbidden') : error instanceof Error ? error.message : JSON.stringify(error);
  return (
    <div className="msg err" role="alert">
      {t('error')}: {text}
      {api && api.errors.length > 0 && (
        <ul>
          {api.errors.map((e, i) => (
            <li key={i}>
              {e.field}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) {
    return <span className="muted">—</span>;
  }
  return <pre>{JSON.stringify(value, null, 1)}</pre>;
}

/** Vietnam time, whatever the browser's zone: dd/mm/yyyy HH:mm for people (STYLE: dates for people). */
const VN_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `08/12/2026 09:05` (Vietnam time); '—' when there is no instant or it cannot be read. */
export function when(iso: string | null | undefined): string {
  const at = iso ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime())) {
    return '—';
  }
  const p = Object.fromEntries(VN_PARTS.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p['day']}/${p['month']}/${p['year']} ${p['hour']}:${p['minute']}`;
}

/** `08/12/2026` (Vietnam time). */
export function day(iso: string | null | undefined): string {
  return when(iso).split(' ')[0] ?? '—';
}

/** DOMAIN.md §3.1: the national status codes (TrangThaiHoSo) with their labels. */
const NATIONAL_STATUS: Record<number, { vi: string; en: string }> = {
  1: { vi: 'Mới đăng ký', en: 'Submitted' },
  2: { vi: 'Được tiếp nhận', en: 'Received' },
  3: { vi: 'Không được tiếp nhận', en: 'Refused at intake' },
  4: { vi: 'Đang xử lý', en: 'Being processed' },
  5: { vi: 'Yêu cầu bổ sung giấy tờ', en: 'Supplement requested' },
  6: { vi: 'Yêu cầu thực hiện nghĩa vụ tài chính', en: 'Fee or tax requested' },
  7: { vi: 'Công dân yêu cầu rút hồ sơ', en: 'Withdrawn by the applicant' },
  8: { vi: 'Dừng xử lý', en: 'Processing stopped' },
  9: { vi: 'Đã xử lý xong', en: 'Processing finished' },
  10: { vi: 'Đã trả kết quả', en: 'Result returned' },
};
export const NATIONAL_STATUS_CODES = Object.keys(NATIONAL_STATUS).map(Number);

/** "4 — Đang xử lý" (the Vietnamese label always, the English one too in English). */
export function nationalStatusLabel(code: number | null | undefined, lang: 'vi' | 'en'): string {
  if (code === null || code === undefined) {
    return '—';
  }
  const label = NATIONAL_STATUS[code];
  if (!label) {
    return String(code);
  }
  return lang === 'vi' ? `${code} — ${label.vi}` : `${code} — ${label.vi} (${label.en})`;
}

/** The canonical milestones (libs/events MILESTONES), the values a status mapping may produce. */
export const MILESTONES = [
  'DOSSIER_SUBMITTED',
  'DOSSIER_RECEIVED',
  'DOSSIER_REJECTED_AT_INTAKE',
  'STEP_HANDOVER',
  'SUPPLEMENT_REQUESTED',
  'SUPPLEMENT_RECEIVED',
  'PAYMENT_REQUESTED',
  'PAYMENT_COMPLETED',
  'WITHDRAWAL_REQUESTED',
  'PROCESSING_STOPPED',
  'DEADLINE_EXTENDED',
  'RESULT_READY',
  'RESULT_RETURNED',
  'STATUS_CHANGED',
] as const;

/** Milestones as people read them: Vietnamese first (DOMAIN brief §3.3), English beside it in English. */
const MILESTONE_LABELS: Record<(typeof MILESTONES)[number], { vi: string; en: string }> = {
  DOSSIER_SUBMITTED: { vi: 'Nộp hồ sơ', en: 'Submitted' },
  DOSSIER_RECEIVED: { vi: 'Tiếp nhận hồ sơ', en: 'Received' },
  DOSSIER_REJECTED_AT_INTAKE: { vi: 'Từ chối tiếp nhận', en: 'Refused at intake' },
  STEP_HANDOVER: { vi: 'Chuyển bước xử lý', en: 'Step handover' },
  SUPPLEMENT_REQUESTED: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Supplement requested' },
  SUPPLEMENT_RECEIVED: { vi: 'Nhận hồ sơ bổ sung', en: 'Supplement received' },
  PAYMENT_REQUESTED: { vi: 'Yêu cầu nộp phí, lệ phí', en: 'Fee requested' },
  PAYMENT_COMPLETED: { vi: 'Đã nộp phí, lệ phí', en: 'Fee paid' },
  WITHDRAWAL_REQUESTED: { vi: 'Công dân xin rút hồ sơ', en: 'Withdrawal requested' },
  PROCESSING_STOPPED: { vi: 'Dừng xử lý', en: 'Processing stopped' },
  DEADLINE_EXTENDED: { vi: 'Gia hạn thời hạn', en: 'Deadline extended' },
  RESULT_READY: { vi: 'Đã có kết quả', en: 'Result ready' },
  RESULT_RETURNED: { vi: 'Trả kết quả', en: 'Result returned' },
  STATUS_CHANGED: { vi: 'Thay đổi trạng thái', en: 'Status changed' },
};

/** "Tiếp nhận hồ sơ" (in English: "Tiếp nhận hồ sơ (Received)"); an unknown code as it is. */
export function milestoneLabel(code: string | null | undefined, lang: 'vi' | 'en'): string {
  if (!code) {
    return '—';
  }
  const label = (MILESTONE_LABELS as Record<string, { vi: string; en: string } | undefined>)[code];
  if (!label) {
    return code;
  }
  return lang === 'vi' ? label.vi : `${label.vi} (${label.en})`;
}

/** The API's field errors for one JSON pointer (or below it, with `prefix`). */
export function errorsAt(error: unknown, pointer: string, prefix = false): FieldError[] {
  if (!(error instanceof ApiError)) {
    return [];
  }
  return error.errors.filter((e) =>
    prefix ? e.field === pointer || e.field.startsWith(`${pointer}/`) : e.field === pointer,
  );
}

/** The messages of the API's errors for a field, shown next to it. */
export function FieldErrors({ error, at, prefix = false }: { error: unknown; at: string; prefix?: boolean }) {
  const list = errorsAt(error, at, prefix);
  if (list.length === 0) {
    return null;
  }
  return (
    <span className="field-error" role="alert" data-field={at}>
      {list.map((e) => e.message).join('; ')}
    </span>
  );
}

/** Long lists shown up to `max` rows, with how many are left out. */
export function firstOf<T>(list: T[], max = 100): { shown: T[]; more: number } {
  return { shown: list.slice(0, max), more: Math.max(0, list.length - max) };
}

/** The per-row errors of an import or refresh dry run (row as Excel shows it, column, message). */
export function RowErrors({ errors, testId }: { errors: RowError[]; testId: string }) {
  const t = useT();
  if (errors.length === 0) {
    return null;
  }
  return (
    <>
      <h3>{t('rowErrors')}</h3>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>{t('row')}</th>
            <th>{t('column')}</th>
            <th>{t('message')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td>{e.row}</td>
              <td>
                <code>{e.field}</code>
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Delete in two clicks: the first arms the button, the second ("confirm") deletes. */
export function DeleteButton({
  armed,
  onArm,
  onConfirm,
}: {
  armed: boolean;
  onArm: () => void;
  onConfirm: () => void;
}) {
  const t = useT();
  return armed ? (
    <button type="button" className="danger" onClick={onConfirm}>
      {t('confirmDelete')}
    </button>
  ) : (
    <button type="button" className="danger" onClick={onArm}>
      {t('delete')}
    </button>
  );
}
