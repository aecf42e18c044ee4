import type { DossierDates, Milestone } from '@isohub/events';
import { NATIONAL_STATUS_LABELS } from '@isohub/events';

/**
 * Which milestone a change of national status (TrangThaiHoSo) means. Senders repeat the current status in
 * every message, so the milestone is read from the transition, never from the status alone (DOMAIN.md §4.7):
 * 4 after 5 = supplement received, 4 after 6 = payment done.
 */
const INTO: Readonly<Record<number, Milestone>> = {
  2: 'DOSSIER_RECEIVED',
  3: 'DOSSIER_REJECTED_AT_INTAKE',
  5: 'SUPPLEMENT_REQUESTED',
  6: 'PAYMENT_REQUESTED',
  7: 'WITHDRAWAL_REQUESTED',
  8: 'PROCESSING_STOPPED',
  9: 'RESULT_READY',
  10: 'RESULT_RETURNED',
};

/** Transitions whose meaning depends on where the dossier came from; key `<from>><to>`, `-` = no status yet. */
const FROM_TO: Readonly<Record<string, Milestone>> = {
  '->1': 'DOSSIER_SUBMITTED',
  '5>4': 'SUPPLEMENT_RECEIVED',
  '6>4': 'PAYMENT_COMPLETED',
};

export const MIN_NATIONAL_STATUS = 1;
export const MAX_NATIONAL_STATUS = 10;

/** Statuses that imply the counter accepted the dossier at some point (so its reception was seen). */
const AFTER_RECEPTION: ReadonlySet<number> = new Set([2, 4, 5, 6, 7, 8, 9, 10]);

/** Statuses reached only after reception: a first sight at one of these first replays DOSSIER_RECEIVED. */
const PAST_RECEPTION: ReadonlySet<number> = new Set([4, 5, 6, 7, 8, 9, 10]);

export function isNationalStatus(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_NATIONAL_STATUS && n <= MAX_NATIONAL_STATUS;
}

/** The milestone of `from -> to`, or null when the status did not change. */
export function milestoneForTransition(from: number | null, to: number): Milestone | null {
  if (from === to) {
    return null;
  }
  return FROM_TO[`${from ?? '-'}>${to}`] ?? INTO[to] ?? 'STATUS_CHANGED';
}

export function receptionSeen(national: number | null): boolean {
  return national !== null && AFTER_RECEPTION.has(national);
}

export function isPastReception(national: number): boolean {
  return PAST_RECEPTION.has(national);
}

/**
 * The wire date that says when a milestone happened (DOMAIN.md §4.3: NgayNopHoSo, NgayTiepNhan, NgayTuChoi,
 * the supplement round's dates, NgayKetThucXuLy, NgayTra); other milestones (payment, withdrawal, stop)
 * carry none on the wire.
 */
export const DEFINING_DATE: Readonly<Partial<Record<Milestone, keyof DossierDates>>> = {
  DOSSIER_SUBMITTED: 'submittedAt',
  DOSSIER_RECEIVED: 'receivedAt',
  DOSSIER_REJECTED_AT_INTAKE: 'rejectedAt',
  SUPPLEMENT_REQUESTED: 'supplementRequestedAt',
  SUPPLEMENT_RECEIVED: 'supplementReceivedAt',
  RESULT_READY: 'processingEndedAt',
  RESULT_RETURNED: 'returnedAt',
};

export function nationalLabel(national: number | null): string | null {
  return national === null ? null : (NATIONAL_STATUS_LABELS[national] ?? null);
}
