/**
 * Catalogue drift for the simulated portal: the changes DOMAIN.md §5.1 says the real catalogue goes
 * through (codes replaced, issuing bodies renamed after 2025, statutory times changed), applied at run
 * time so a refresh has a real diff to find. Pure; a step that does not apply throws DriftError.
 */

export const CHANNELS = ['in_person', 'online', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface CatalogueRow {
  code: string;
  name: string;
  issuing_body: string;
  implementing_agency: string;
  field: string;
  portal_url: string;
  /** Raw time text per channel, '' when the procedure has none. */
  times: Record<Channel, string>;
}

export type CatalogueDrift =
  /** The old code is gone; the new one lists the same procedure (2.000488 -> 3.000333). */
  | { op: 'replace-code'; code: string; newCode: string }
  | { op: 'remove-code'; code: string }
  /** Every procedure of one issuing body moves to a new name. */
  | { op: 'rename-issuing-body'; from: string; to: string }
  /** One channel's statutory time, as text ("7 ngày làm việc"); '' takes the channel away. */
  | { op: 'set-time'; code: string; channel: Channel; text: string };

export class DriftError extends Error {
  override readonly name = 'DriftError';
}

const nfc = (s: string): string => s.normalize('NFC').trim();

function find(rows: readonly CatalogueRow[], code: string): number {
  const i = rows.findIndex((r) => r.code === code);
  if (i < 0) {
    throw new DriftError(`code ${code} is not in the sandbox catalogue`);
  }
  return i;
}

export function applyDrift(rows: readonly CatalogueRow[], step: CatalogueDrift): CatalogueRow[] {
  const next = [...rows];
  switch (step.op) {
    case 'replace-code': {
      const i = find(next, step.code);
      if (next.some((r) => r.code === step.newCode)) {
        throw new DriftError(`newCode ${step.newCode} is already in the sandbox catalogue`);
      }
      const old = next[i];
      next[i] = { ...old, code: step.newCode, times: { ...old.times } };
      return next;
    }
    case 'remove-code':
      next.splice(find(next, step.code), 1);
      return next;
    case 'rename-issuing-body': {
      const from = nfc(step.from);
      const hits = next.filter((r) => nfc(r.issuing_body) === from).length;
      if (hits === 0) {
        throw new DriftError(`no procedure has issuing body "${step.from}"`);
      }
      return next.map((r) => (nfc(r.issuing_body) === from ? { ...r, issuing_body: step.to } : r));
    }
    case 'set-time': {
      const i = find(next, step.code);
      const old = next[i];
      next[i] = { ...old, times: { ...old.times, [step.channel]: step.text } };
      return next;
    }
  }
}

function text(body: Record<string, unknown>, key: string, allowEmpty = false): string {
  const v = body[key];
  if (typeof v !== 'string' || (!allowEmpty && v.trim() === '') || v.length > 2_000) {
    throw new DriftError(`${key} must be a${allowEmpty ? '' : ' non-empty'} string`);
  }
  return v;
}

/** Reads one step from a request body; the error names the wrong field. */
export function parseDrift(body: unknown): CatalogueDrift {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DriftError('each drift step must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  switch (b['op']) {
    case 'replace-code':
      return { op: 'replace-code', code: text(b, 'code'), newCode: text(b, 'newCode') };
    case 'remove-code':
      return { op: 'remove-code', code: text(b, 'code') };
    case 'rename-issuing-body':
      return { op: 'rename-issuing-body', from: text(b, 'from'), to: text(b, 'to') };
    case 'set-time': {
      const channel = b['channel'];
      if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) {
        throw new DriftError(`channel must be one of ${CHANNELS.join(', ')}`);
      }
      return {
        op: 'set-time',
        code: text(b, 'code'),
        channel: channel as Channel,
        text: text(b, 'text', true),
      };
    }
    default:
      throw new DriftError('op must be one of replace-code, remove-code, rename-issuing-body, set-time');
  }
}
