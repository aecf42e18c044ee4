export const LGSP_PORT = Symbol('LGSP_PORT');

export interface LgspConnectionCheck {
  ok: boolean;
  detail: string;
}

export interface CallRestParams {
  /** Path under the bus's REST base URL, e.g. `/Document/SyncDocument`. Never an absolute URL. */
  path: string;
  /** Default POST. */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** An object or array is sent as JSON; a string or Buffer as is (with `contentType`). */
  body?: unknown;
  contentType?: string;
  /** Default: JSON preferred, XML accepted. */
  accept?: string;
  query?: Readonly<Record<string, string>>;
}

export interface LgspRestAnswer {
  status: number;
  /** Lower-cased media type without parameters; '' when the bus sent none. */
  contentType: string;
  /** JSON answers parsed; XML answers parsed with entities off (see lgsp-xml.ts); anything else the text. */
  data: unknown;
  text: string;
}

export interface ListChangedDossiersParams {
  /** ISO 8601 instant; dossiers whose last change is at or after it (inclusive: ties are re-read). */
  since: string;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface ChangedDossier {
  /** When the bus last saw the dossier change, as an ISO 8601 instant; null when it sent none readable. */
  modifiedAt: string | null;
  /**
   * The dossier in `Document/SyncDocument` shape (`LgspSyncDocumentWire` in @isohub/mapping: the same field
   * names and value types as the REST JSON). Unvalidated: mapping reads it like any sender's item.
   */
  document: Record<string, unknown>;
}

export interface ChangedDossierPage {
  dossiers: ChangedDossier[];
  page: number;
  pageSize: number;
  /** How many dossiers match `since` in all; null when the bus does not say. */
  total: number | null;
  hasMore: boolean;
}

export interface DossierHistoryParams {
  /** The dossier code (`DocCode`). */
  docCode: string;
}

/** The bus's REST side: Bearer calls to any service path (DOMAIN.md §4.4). */
export interface LgspRestPort {
  /**
   * Resolves with any 2xx answer; rejects with an LgspError otherwise (a 401 is retried once with a fresh
   * token first).
   */
  callRest(params: CallRestParams): Promise<LgspRestAnswer>;
  checkConnection(): Promise<LgspConnectionCheck>;
}

/** The bus's SOAP dossier service, as described by its WSDL. */
export interface LgspDossierServicePort {
  listChangedDossiers(params: ListChangedDossiersParams): Promise<ChangedDossierPage>;
  /**
   * The dossier's processing history as the bus lists it, each row in `Document/UpdateDocumentTraces` shape
   * (`LgspDocumentTraceWire` in @isohub/mapping). Unvalidated.
   */
  getDossierHistory(params: DossierHistoryParams): Promise<Record<string, unknown>[]>;
  checkConnection(): Promise<LgspConnectionCheck>;
}

/**
 * The provincial service bus (LGSP) as isohub calls it: OAuth2 client credentials, REST services over HTTP
 * and SOAP services from their WSDL. Methods reject only with an `LgspError`.
 */
export interface LgspPort extends LgspRestPort, LgspDossierServicePort {
  checkConnection(): Promise<LgspConnectionCheck>;
}
