import { useContext } from 'react';
import { I18n, type Lang } from './i18n';

/** The words of the national-sync page, Vietnamese first (kept beside i18n.ts like calendar-i18n.ts). */
const vi = {
  title: 'Đồng bộ lên Cổng DVCQG',
  note: 'isohub chuyển nguyên văn các lần gọi của hệ thống một cửa lên Cổng DVCQG và LGSP, và ghi lại câu trả lời của Cổng. Tỷ lệ đồng bộ (chỉ tiêu 1.4, QĐ 766/QĐ-TTg) là số hồ sơ có lần gửi gần nhất được Cổng chấp nhận trên số hồ sơ đã gửi.',
  national: 'Toàn tỉnh: {synced}/{dossiers} hồ sơ đồng bộ thành công ({rate})',
  sender: 'Đơn vị gửi',
  mode: 'Chế độ',
  transparent: 'Trong suốt',
  takeover: 'Tiếp quản',
  delivered: 'Đã chuyển',
  refused: 'Cổng từ chối',
  unanswered: 'Không có trả lời',
  rate: 'Tỷ lệ đồng bộ',
  lastRefusal: 'Lần từ chối gần nhất',
  none: 'Chưa có lần gọi nào.',
  loading: 'Đang tải…',
};

const en: Record<keyof typeof vi, string> = {
  title: 'National portal sync',
  note: 'isohub relays the one-stop systems’ calls to the national portal and the LGSP unchanged and keeps what the portal answered. The sync rate (indicator 1.4, Decision 766/QĐ-TTg) is the dossiers whose latest call the portal accepted over the dossiers sent.',
  national: 'Province: {synced}/{dossiers} dossiers synced ({rate})',
  sender: 'Sender',
  mode: 'Mode',
  transparent: 'Transparent',
  takeover: 'Takeover',
  delivered: 'Delivered',
  refused: 'Refused by the portal',
  unanswered: 'Unanswered',
  rate: 'Sync rate',
  lastRefusal: 'Latest refusal',
  none: 'No calls yet.',
  loading: 'Loading…',
};

export type NationalSyncKey = keyof typeof vi;
const DICTS: Record<Lang, Record<NationalSyncKey, string>> = { vi, en };

export function useNationalSyncT(): (key: NationalSyncKey, vars?: Record<string, string | number>) => string {
  const { lang } = useContext(I18n);
  return (key, vars = {}) =>
    DICTS[lang][key].replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? `{${name}}`));
}
