import { createHmac } from 'node:crypto';
import { applicantNameKey, isPlainObject, textOrNull } from '@isohub/mapping';
import type { IngestOperation } from './ingest.types';

/**
 * Where each operation names a person: the applicant on a dossier snapshot (the fields the mapping lib treats
 * as applicant fields, DOMAIN.md §4.3, §4.4), the actor on a control-sheet row. Pulled sources come through
 * the same operations (the one-stop REST adapter fills ChuHoSo, the LGSP SOAP source sends CitizenName).
 */
export const PERSON_FIELDS: Readonly<
  Record<
    IngestOperation,
    { role: 'applicant'; field: 'ChuHoSo' | 'CitizenName' } | { role: 'actor'; field: string }
  >
> = {
  DongBoHoSoMC: { role: 'applicant', field: 'ChuHoSo' },
  LgspSyncDocument: { role: 'applicant', field: 'CitizenName' },
  CapNhatTienDoHoSoMC: { role: 'actor', field: 'NguoiXuLy' },
  LgspUpdateDocumentTraces: { role: 'actor', field: 'UserName' },
};

/** A wire item's name field as the mappers read it (NFC, trimmed), or null. */
export function nameIn(item: unknown, field: string): string | null {
  return isPlainObject(item) ? textOrNull(item[field]) : null;
}

/**
 * The applicant's name as isohub keeps it (DOMAIN.md §10): HMAC-SHA256 under a secret of the dossier code and
 * the name in the form the mappers compare names (`applicantNameKey`: NFC, lower case, whitespace collapsed).
 * Without the secret a stored key cannot be checked against a guessed name; with the dossier code in it, two
 * dossiers of one person do not share a key, so the column cannot link them either. Null for no name.
 */
export function applicantKey(secret: string, dossierCode: string, name: string | null): Buffer | null {
  const normalised = name === null ? '' : applicantNameKey(name);
  if (normalised === '') {
    return null;
  }
  return createHmac('sha256', secret)
    .update(JSON.stringify([dossierCode, normalised]), 'utf8')
    .digest();
}
