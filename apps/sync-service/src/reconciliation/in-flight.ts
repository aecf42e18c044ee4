import type { ReconciliationStore } from '@isohub/persistence';
import { isRecord, parseItemsBody, parseJsonBody } from '../tee/tee-body';

const PAGE = 500;

function codeOf(item: unknown): string | null {
  if (!isRecord(item)) {
    return null;
  }
  const raw = item['MaHoSo'];
  return typeof raw === 'string' || typeof raw === 'number' ? String(raw).normalize('NFC').trim() : null;
}

/** The dossier codes a stored forward request carries: OpenCPS `data[]` or a Thanh Hóa bare array. */
export function forwardedDossierCodes(style: string, body: Buffer): string[] {
  let items: unknown[];
  if (style === 'opencps') {
    const parsed = parseJsonBody(body);
    const data = parsed.ok && isRecord(parsed.value) ? parsed.value['data'] : undefined;
    items = Array.isArray(data) ? data : isRecord(data) ? [data] : [];
  } else {
    const parsed = parseItemsBody(body, 'items');
    items = parsed.ok ? parsed.items : [];
  }
  return items.map(codeOf).filter((c): c is string => c !== null && c !== '');
}

/**
 * Dossiers with a forward job still on its way to the portal: the portal's copy is expected to lag, so
 * a difference is not (yet) a mismatch. forward_job keeps only the request bytes, hence the parsing.
 */
export async function dossiersInFlight(store: ReconciliationStore): Promise<Set<string>> {
  const codes = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const page = await store.pendingForwardBodies(after, PAGE);
    for (const job of page) {
      for (const code of forwardedDossierCodes(job.style, job.body)) {
        codes.add(code);
      }
    }
    if (page.length < PAGE) {
      return codes;
    }
    after = page[page.length - 1]?.id ?? null;
  }
}
