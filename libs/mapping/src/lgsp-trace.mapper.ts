import type { DossierState } from '@isohub/events';
import { DEFAULT_LGSP_STATUS_MAP, resolveLgspStatus, type LgspMappingContext } from './lgsp-status';
import type { MapResult } from './mapping.contract';
import { mapProgressFacts, type ProgressRowOptions } from './progress-row.mapper';
import { isPlainObject, nfc } from './text';
import { WireReader } from './wire-fields';

/**
 * Maps one LGSP `Document/UpdateDocumentTraces` item (one control-sheet-like line, DOMAIN.md §4.4) through the
 * same logic as a CapNhatTienDoHoSoMC row. OpenCPS fills it from the dossier's current action
 * (OpenCPSConverter.convertToDocumentTraces): `Comment` is the officer's note, `Status` is always 0 (no national
 * status, so the trace yields only its STEP_HANDOVER), and the organisation is the level-1 agency in charge,
 * the finest unit the message carries.
 */
export function mapLgspTrace(
  item: unknown,
  prev: DossierState | null,
  ctx: LgspMappingContext,
  options: ProgressRowOptions = {},
): MapResult {
  if (!isPlainObject(item)) {
    return {
      ok: false,
      dossierCode: null,
      errors: [{ field: '', code: 'type', message: 'An UpdateDocumentTraces item must be a JSON object' }],
    };
  }
  const r = new WireReader(nfc(item), ctx);
  const code = r.dossierCode('DocCode');
  const handedOverAt = r.date('DateCreated', true);
  const raw = r.text('Status');
  const officer = r.text('UserName');
  const title = r.text('UserPosition');
  const comment = r.text('Comment');
  const organCode = r.text('OrganizationInchargeIdLevel1');
  const organName = r.text('OrganizationInchargeName');
  if (r.errors.length > 0 || code === null || handedOverAt === null) {
    return { ok: false, dossierCode: code, errors: r.errors };
  }
  return mapProgressFacts(
    {
      dossierCode: code,
      codeField: 'DocCode',
      handedOverAt,
      status: {
        raw,
        national: resolveLgspStatus(
          raw,
          ctx.lgspStatusMap ?? DEFAULT_LGSP_STATUS_MAP,
          ctx.lgspStatusLookup,
          handedOverAt,
        ),
      },
      stepStartedAt: null,
      stepDeadline: null,
      officer,
      title,
      unitTo: organCode === null && organName === null ? null : { code: organCode, name: organName },
      stepTo: null,
      applicantNameField: 'CitizenName',
      text: comment,
      statusless: true,
      action: null,
      note: comment,
    },
    prev,
    ctx,
    options,
  );
}
