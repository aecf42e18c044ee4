export * from './mapping.contract';
export * from './vn-date';
export * from './text';
export * from './event-id';
export * from './status-transition';
export * from './profile-rules';
export * from './applicant';
export { emptyDates } from './dossier-state';
export { mapDossierSync } from './dossier-sync.mapper';
export { mapProgressRow, type ProgressRowOptions } from './progress-row.mapper';
export { readTrail, type Holder, type TrailEntry } from './handover-trail';
export { MAX_DOSSIER_CODE_LENGTH } from './wire-fields';
export * from './lgsp-status';
export {
  LGSP_APPLICANT_WIRE_FIELDS,
  type LgspDocumentTraceWire,
  type LgspSyncDocumentWire,
} from './lgsp-wire';
export { mapLgspDocument } from './lgsp-document.mapper';
export { mapLgspTrace } from './lgsp-trace.mapper';
export * from './testing/context';
