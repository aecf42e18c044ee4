import type { Milestone } from '@isohub/events';
import type { SenderProfile } from './mapping.contract';
import { foldPhrase } from './text';
import { compareInstants } from './vn-date';

/**
 * What each sender's messages really mean (DOMAIN.md §4.7), as data so that a new quirk is a new row,
 * not a new `if`. Read from the public code of the senders; see `source` on each entry.
 */
export interface ProfileBehaviour {
  /**
   * Thanh Hóa rewrites a dossier paused in 5, 6 or 8 to `"9"` before sending and leaves `NgayKetThucXuLy`
   * empty (SyncLocalDataToDVCQGService.GetData): such a "9" is a pause, not a result.
   */
  nineWithoutEndIsPause: boolean;
  /**
   * How `NoiDungXuLy` reads: Thanh Hóa fills it with the action name (`ThaoTac`); OpenCPS with
   * `actionName-actionNote` (2021) or the note alone (2020), so both handover fields get it, as for unknown senders.
   */
  progressText: 'action' | 'note' | 'both';
}

export const PROFILE_BEHAVIOUR: Readonly<Record<SenderProfile, ProfileBehaviour>> = {
  thanhhoa: { nineWithoutEndIsPause: true, progressText: 'action' },
  opencps: { nineWithoutEndIsPause: false, progressText: 'both' },
  generic: { nineWithoutEndIsPause: false, progressText: 'both' },
};

/**
 * Rows a sender synthesises rather than recording an action (DOMAIN.md §4.9, from Thanh Hóa's public
 * `SyncLocalDataToDVCQGService.PushData`): each is written as "Cán bộ một cửa" with empty ChucDanh,
 * PhongBanXuLy, NgayBatDau and NgayKetThucTheoQuyDinh, and carries the listed status. They are artefacts of
 * the sender, never events: the receipt row is prepended on every run, the "Kết thúc xử lý hồ sơ" row repeats
 * the result (or, for a dossier paused in 5/6/8 and sent as "9", is dated at receipt), and "Hồ sơ không có
 * ngày hẹn trả" only says the due date is empty.
 */
export const SYNTHETIC_PROGRESS_ROWS: Readonly<
  Partial<Record<SenderProfile, { officer: string; rows: readonly { text: string; status: number }[] }>>
> = {
  thanhhoa: {
    officer: 'Cán bộ một cửa',
    rows: [
      { text: 'Tiếp nhận hồ sơ', status: 2 },
      { text: 'Kết thúc xử lý hồ sơ', status: 9 },
      { text: 'Hồ sơ không có ngày hẹn trả', status: 9 },
    ],
  },
};

/** What a row says about itself, for recognising a sender's synthetic rows. */
export interface RowShape {
  officer: string | null;
  text: string | null;
  /** TrangThai as sent; null when blank. */
  wireStatus: number | null;
  /** ChucDanh, PhongBanXuLy, NgayBatDau or NgayKetThucTheoQuyDinh is filled. */
  hasDetails: boolean;
}

export function isSyntheticProgressRow(profile: SenderProfile, row: RowShape): boolean {
  const rule = SYNTHETIC_PROGRESS_ROWS[profile];
  if (!rule || row.officer === null || row.text === null || row.hasDetails) {
    return false;
  }
  const text = foldPhrase(row.text);
  return (
    foldPhrase(row.officer) === foldPhrase(rule.officer) &&
    rule.rows.some(
      (r) => foldPhrase(r.text) === text && (row.wireStatus === null || row.wireStatus === r.status),
    )
  );
}

/** What a matching progress row does to the status it carries. */
export type RowEffect =
  /** The row's status is wrong in a known way: use this national status instead. */
  | { kind: 'status'; national: number }
  /** The row's text says which milestone it is, whatever the status before it: the status after it is `national`. */
  | { kind: 'milestone'; milestone: Milestone; national: number }
  /** The row says nothing true about the status: keep the previous one, emit no status milestone. */
  | { kind: 'ignore-status' }
  /** The row is an artefact of the sender, not an action: no event, no state change. */
  | { kind: 'artefact' };

export interface ProgressRowRule {
  profile: SenderProfile;
  /** `NoiDungXuLy` values, compared accent- and case-insensitively with whitespace collapsed. */
  texts: readonly string[];
  /** `TrangThai` the sender puts on the row. */
  wireStatus: number;
  /** Only when `ThoiDiemXuLy` is at or before the dossier's known reception time. */
  atOrBeforeReception?: boolean;
  effect: RowEffect;
  /** Why, with the outside source. */
  source: string;
}

export const PROGRESS_ROW_RULES: readonly ProgressRowRule[] = [
  {
    profile: 'thanhhoa',
    texts: ['Hoàn thành bổ sung hồ sơ'],
    wireStatus: 5,
    effect: { kind: 'milestone', milestone: 'SUPPLEMENT_RECEIVED', national: 4 },
    source:
      'The completion row is written with TrangThai "5" although it ends the pause; counting it as a second ' +
      'request would make the dossier late under QĐ 766 (DOMAIN.md §4.7).',
  },
  {
    profile: 'thanhhoa',
    texts: ['Công dân gửi bổ sung hồ sơ', 'Xóa hồ sơ'],
    wireStatus: 4,
    effect: { kind: 'ignore-status' },
    source:
      'These rows are stored with an empty TrangThai, which GetData sends as "4". The pause ends with the ' +
      '"Hoàn thành bổ sung hồ sơ" row, the time QĐ 766 uses (docs/research/wire-formats.md §2).',
  },
  {
    profile: 'thanhhoa',
    texts: ['Công dân thu hồi hồ sơ'],
    wireStatus: 3,
    effect: { kind: 'milestone', milestone: 'WITHDRAWAL_REQUESTED', national: 7 },
    source: 'Thanh Hóa sends a citizen withdrawal as "3" (DOMAIN.md §4.7); this is its row text.',
  },
  {
    profile: 'thanhhoa',
    texts: ['Tiếp nhận hồ sơ'],
    wireStatus: 3,
    effect: { kind: 'milestone', milestone: 'DOSSIER_REJECTED_AT_INTAKE', national: 3 },
    source:
      'A refusal after an unanswered supplement is written by a command whose row keeps the constructor ' +
      'default text "Tiếp nhận hồ sơ" with TrangThai "3" (DOMAIN.md §4.9): a refusal, not a receipt.',
  },
  {
    profile: 'thanhhoa',
    texts: ['Nộp hồ sơ trực tuyến'],
    wireStatus: 1,
    effect: { kind: 'milestone', milestone: 'DOSSIER_SUBMITTED', national: 1 },
    source:
      'The online submission row is often synced only after the receipt; it is the submission at its own ' +
      'time (DOMAIN.md §4.9), never a step back from 2 to 1.',
  },
  {
    profile: 'thanhhoa',
    texts: ['Kết thúc xử lý hồ sơ', 'Hồ sơ không có ngày hẹn trả'],
    wireStatus: 9,
    atOrBeforeReception: true,
    effect: { kind: 'artefact' },
    source:
      'PushData appends these synthetic "9" rows dated NgayTiepNhan when the dossier has no NgayKetThucXuLy ' +
      '(paused in 5/6/8) or no NgayHenTra: not a result.',
  },
  {
    profile: 'thanhhoa',
    texts: ['Cán bộ trả hồ sơ bổ sung'],
    wireStatus: 9,
    effect: { kind: 'status', national: 5 },
    source:
      'PushData labels a dossier paused in 5 this way but sends "9" (dead code today, kept for a fixed sender).',
  },
  {
    profile: 'thanhhoa',
    texts: ['Công dân thực hiện NVTC'],
    wireStatus: 9,
    effect: { kind: 'status', national: 6 },
    source: 'PushData labels a dossier paused in 6 (financial obligation) this way but sends "9".',
  },
  {
    profile: 'thanhhoa',
    texts: ['Cán bộ trả bổ sung hồ sơ'],
    wireStatus: 9,
    effect: { kind: 'status', national: 8 },
    source: 'PushData labels a dossier paused in 8 this way (sic) but sends "9".',
  },
];

const FOLDED = PROGRESS_ROW_RULES.map((rule) => ({ rule, texts: new Set(rule.texts.map(foldPhrase)) }));

export interface RowFacts {
  profile: SenderProfile;
  text: string | null;
  wireStatus: number | null;
  handedOverAt: string;
  /** The dossier's reception time as far as isohub knows it. */
  receivedAt: string | null;
}

export function matchProgressRowRule(facts: RowFacts): ProgressRowRule | undefined {
  if (facts.text === null || facts.wireStatus === null) {
    return undefined;
  }
  const text = foldPhrase(facts.text);
  return FOLDED.find(({ rule, texts }) => {
    if (rule.profile !== facts.profile || rule.wireStatus !== facts.wireStatus || !texts.has(text)) {
      return false;
    }
    if (rule.atOrBeforeReception) {
      return facts.receivedAt !== null && compareInstants(facts.handedOverAt, facts.receivedAt) <= 0;
    }
    return true;
  })?.rule;
}

/**
 * Row texts (`NoiDungXuLy`, LGSP `Comment`) that name an action the applicant performs: on such a row the
 * sender's "officer" (`NguoiXuLy`, `UserName`) is the citizen or business, personal data (DOMAIN.md §10).
 * A text matches when it starts with the phrase at a word boundary, compared accent- and case-insensitively
 * with whitespace collapsed, so OpenCPS's `actionName-actionNote` matches too.
 */
export interface ApplicantActionText {
  /** Profiles whose rows use the phrase; `all` for any sender. */
  profiles: readonly SenderProfile[] | 'all';
  phrase: string;
  /** Why, with the outside source. */
  source: string;
}

export const APPLICANT_ACTION_TEXTS: readonly ApplicantActionText[] = [
  {
    profiles: 'all',
    phrase: 'Công dân',
    source:
      'Thanh Hóa stores "Công dân gửi bổ sung hồ sơ", "Công dân thu hồi hồ sơ" and labels "Công dân thực hiện NVTC" ' +
      '(docs/research/wire-formats.md §2.4); the sandbox sends "Công dân rút hồ sơ" with the applicant as actor.',
  },
  {
    profiles: 'all',
    phrase: 'Người dân',
    source: 'The same actions in the wording some one-stop systems use for citizens.',
  },
  {
    profiles: 'all',
    phrase: 'Tổ chức, cá nhân',
    source:
      'The legal texts’ name for applicants ("tổ chức, cá nhân" in ND 61/2018), used as an action subject.',
  },
  {
    profiles: 'all',
    phrase: 'Nộp hồ sơ trực tuyến',
    source:
      'Online submission is the applicant’s action: the OpenCPS dossier actions record the applicant as ' +
      'actionUser (libs/adapters/onestop fixtures), the sandbox as actor.',
  },
  {
    profiles: 'all',
    phrase: 'Hoàn thành nghĩa vụ tài chính',
    source: 'Payment by the applicant; the sandbox’s payment_completed row has the applicant as actor.',
  },
];

const FOLDED_APPLICANT_TEXTS = APPLICANT_ACTION_TEXTS.map((t) => ({ ...t, folded: foldPhrase(t.phrase) }));

/** Whether a row's text names an action of the applicant for this sender (see APPLICANT_ACTION_TEXTS). */
export function isApplicantActionText(profile: SenderProfile, text: string | null): boolean {
  if (text === null) {
    return false;
  }
  const folded = foldPhrase(text);
  return FOLDED_APPLICANT_TEXTS.some(
    (t) =>
      (t.profiles === 'all' || t.profiles.includes(profile)) &&
      folded.startsWith(t.folded) &&
      !/[\p{L}\p{N}]/u.test(folded.charAt(t.folded.length)),
  );
}
