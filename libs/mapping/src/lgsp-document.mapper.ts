import type { DossierState } from '@isohub/events';
import { pickApplicant } from './applicant';
import { mapSnapshot } from './dossier-sync.mapper';
import type { DossierSnapshot } from './dossier-sync.wire';
import { DEFAULT_LGSP_STATUS_MAP, lgspDocumentStatus, type LgspMappingContext } from './lgsp-status';
import { readFlag } from './lgsp-wire';
import type { FieldError, MapOptions, MapResult } from './mapping.contract';
import { isPlainObject, nfc } from './text';
import { WireReader } from './wire-fields';

/**
 * Maps one LGSP `Document/SyncDocument` item (a full dossier snapshot, DOMAIN.md §4.4) into the same events,
 * ids and state as the equivalent DongBoHoSoMC snapshot: it only reads the LGSP wire into a DossierSnapshot
 * and hands it to `mapSnapshot`. The procedure code is the one-stop system's LOCAL code, resolved through
 * `ctx.resolveProcedure` so an unmapped one reaches the admins' queue.
 */
export function mapLgspDocument(
  item: unknown,
  prev: DossierState | null,
  ctx: LgspMappingContext,
  options: MapOptions = {},
): MapResult {
  if (!isPlainObject(item)) {
    return {
      ok: false,
      dossierCode: null,
      errors: [{ field: '', code: 'type', message: 'A SyncDocument item must be a JSON object' }],
    };
  }
  // Attachments carry whole files as Base64 and never reach an event: drop them before copying the item.
  const { Attachments: _files, ...rest } = item;
  const wire = nfc(rest);
  const r = new WireReader(wire, ctx);
  const dossierCode = r.dossierCode('DocCode');
  const rawStatus = r.text('Status');
  const procedureCode = r.text('DocTypeCode');
  const procedureName = r.text('DocTypeName');
  const organCode = r.text('OrganInchargeIdLevel1');
  const organName = r.text('OrganInchargeName');
  const processingOrgan = r.text('ProcessingOrganName');
  const receivedAt = r.date('DateReceived');
  const dueAt = r.date('DateAppointed');
  const successAt = r.date('SuccessDate');
  const returnedDate = r.date('ReturnedDate');
  const finishedAt = r.date('FinishedDate');
  const supplementRequestedAt = r.date('RequireSupplementaryDate');
  const flagErrors: FieldError[] = [];
  const returned = readFlag(wire, 'IsReturned', flagErrors);
  const success = readFlag(wire, 'IsSuccess', flagErrors);
  const supplementPending = readFlag(wire, 'HasSupplementary', flagErrors);
  const errors = [...r.errors, ...flagErrors];
  if (errors.length > 0 || dossierCode === null) {
    return { ok: false, dossierCode, errors };
  }

  const national = lgspDocumentStatus(
    rawStatus,
    {
      returned,
      success,
      supplementPending,
      finished: finishedAt !== null,
      received: receivedAt !== null || (prev?.dates.receivedAt ?? null) !== null,
    },
    ctx.lgspStatusMap ?? DEFAULT_LGSP_STATUS_MAP,
    ctx.lgspStatusLookup,
  );
  const snapshot: DossierSnapshot = {
    dossierCode,
    status: { raw: rawStatus, national },
    procedureCode,
    procedureName,
    sectorCode: null,
    sectorName: null,
    channel: null,
    processingUnitName: processingOrgan ?? organName,
    processingUnitCode: organCode,
    dates: {
      submittedAt: null,
      receivedAt,
      dueAt,
      // SuccessDate is history (the release date stays after the return); the flags are the moment.
      processingEndedAt: successAt,
      // Until IsReturned turns true OpenCPS writes the due date into ReturnedDate: not a return.
      returnedAt: returned ? (returnedDate ?? finishedAt) : null,
      rejectedAt: null,
      supplementRequestedAt,
      supplementReceivedAt: null,
    },
  };
  return mapSnapshot(snapshot, prev, ctx, {
    codeField: 'DocCode',
    applicant: pickApplicant(wire, ctx.applicantFields),
    trail: options.trail,
  });
}
