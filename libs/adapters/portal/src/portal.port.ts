export const PORTAL_PORT = Symbol('PORTAL_PORT');

/** How the portal's answer reads under DOMAIN §4.2. */
export type PortalOutcome = 'success' | 'already_exists' | 'rejected';

export interface PortalAnswer {
  /** `error_code` as a string, whether the portal sent a number or a string ("0", "00", "3", "-1"…). */
  errorCode: string;
  /** `message`, NFC-normalised; empty when the portal sent none. */
  message: string;
  /** The parsed JSON answer, verbatim, to relay to the sender or keep as evidence. */
  raw: unknown;
  outcome: PortalOutcome;
}

export interface PortalLookupAnswer extends PortalAnswer {
  /** The dossiers the portal returned in `result` (empty when it does not know the code). */
  dossiers: unknown[];
}

/** Envelope services of the OpenCPS-style integration endpoint (DOMAIN §4.1). */
export type PortalService =
  'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC' | 'TraCuuHoSo' | 'LayDanhSachTTHC' | 'LayThuTuc' | (string & {});

export interface SendEnvelopeParams {
  service: PortalService;
  /** Sender agency code (QCVN 102), e.g. `000.00.00.H56`. */
  madonvi: string;
  /** Sent as the strings "True"/"False", as OpenCPS does; omitted when undefined. */
  isUpdating?: boolean | 'True' | 'False';
  data: readonly unknown[];
}

export interface PostRawParams {
  /** Absolute URL of the portal endpoint (Thanh Hóa `URLThemMoi` / `URLCapNhat` / `URLDongBoTienTrinh`). */
  url: string;
  /** Forwarded byte-for-byte; a string is sent as its UTF-8 bytes. */
  body: string | Buffer;
}

export interface LookupDossierParams {
  madonvi: string;
  maHoSo: string;
}

export interface ListProceduresParams {
  /** Sender agency code (QCVN 102) put in the envelope, as for every call. */
  madonvi: string;
}

export interface PortalProcedureSummary {
  /** `MATTHC`, NFC, trimmed. */
  code: string;
  /** `TENTTHC`, NFC; null when the list carries no name. */
  name: string | null;
}

export interface PortalProcedureListAnswer extends PortalAnswer {
  /** The procedures of `LayDanhSachTTHC`, one per code, in the portal's order (empty unless success). */
  procedures: PortalProcedureSummary[];
}

export interface GetProcedureParams {
  madonvi: string;
  /** The national procedure code, sent as `maTTHC` as OpenCPS does. */
  maTTHC: string;
}

export interface PortalProcedureAnswer extends PortalAnswer {
  /** `result[0]` of `LayThuTuc`, verbatim (read it with `mapPortalProcedure`); null when none came back. */
  procedure: Record<string, unknown> | null;
}

export interface PortalConnectionCheck {
  ok: boolean;
  detail: string;
}

/**
 * The national portal (DVCQG) as isohub forwards to it. Methods resolve with the portal's answer,
 * whatever its outcome, and reject only with a `PortalError` (transport failure, refused login,
 * unusable answer).
 */
export interface PortalPort {
  sendEnvelope(params: SendEnvelopeParams): Promise<PortalAnswer>;
  postRaw(params: PostRawParams): Promise<PortalAnswer>;
  lookupDossier(params: LookupDossierParams): Promise<PortalLookupAnswer>;
  /** `LayDanhSachTTHC` on the share endpoint: the national procedure list. */
  listProcedures(params: ListProceduresParams): Promise<PortalProcedureListAnswer>;
  /** `LayThuTuc` on the integration endpoint: one procedure's full record. */
  getProcedure(params: GetProcedureParams): Promise<PortalProcedureAnswer>;
  checkConnection(): Promise<PortalConnectionCheck>;
}
