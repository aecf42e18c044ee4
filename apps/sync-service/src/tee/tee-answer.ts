import type { IngestResult } from '../ingest/ingest.types';

/**
 * Answers in the portal's own style. Senders read them literally (DOMAIN.md §4.7): OpenCPS acknowledges
 * only error_code "0"; Thanh Hóa marks rows synced when the answer contains "thành công". So a failure
 * answer must never contain "thành công", and success is said only after the batch is committed.
 */
export interface PortalStyleAnswer {
  error_code: string;
  message: string;
  data?: unknown;
}

export function ingestAnswer(result: IngestResult): { status: number; body: PortalStyleAnswer } {
  const data = result.items.map((i) => ({
    index: i.index,
    MaHoSo: i.dossierCode,
    error_code: i.accepted ? '0' : '-1',
    message: i.accepted ? 'OK' : i.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    ...(i.accepted ? {} : { errors: i.errors }),
  }));
  if (result.rejected === 0) {
    return {
      status: 200,
      body: { error_code: '0', message: `Đồng bộ thành công ${result.accepted} hồ sơ`, data },
    };
  }
  const first = result.items.find((i) => !i.accepted);
  return {
    status: result.accepted === 0 ? 422 : 200,
    body: {
      error_code: '-1',
      message:
        `Lỗi dữ liệu: ${result.rejected}/${result.items.length} mục bị từ chối` +
        (first?.errors[0]
          ? ` (mục ${first.index}, ${first.errors[0].field}: ${first.errors[0].message})`
          : ''),
      data,
    },
  };
}

/**
 * OpenCPS reads answers with the JVM's platform charset (docs/research/wire-formats.md §1.2), so its
 * answers are ASCII-only JSON (non-ASCII as \u escapes). Thanh Hóa matches "thành công" on the raw
 * text, so its answers stay literal UTF-8.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
