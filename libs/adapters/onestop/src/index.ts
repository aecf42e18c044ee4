export * from './onestop.errors';
export * from './status-table';
export * from './rest-profile';
export * from './onestop-rest.config';
export { OneStopRestAdapter, type OneStopRestAdapterOptions, type RequestGate } from './onestop-rest.adapter';
export {
  dossierToWire,
  orderDossiers,
  readActions,
  readListPage,
  type DossierMappingOptions,
  type DossierWire,
  type ListedDossier,
  type StepStatus,
  type UnmappedStatus,
  type VendorRecord,
  type WireItem,
} from './dossier-page.mapper';
export { cursorTime, encodeCursor, parseCursor, type PullCursor } from './pull-cursor';
