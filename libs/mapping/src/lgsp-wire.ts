import type { FieldError } from './mapping.contract';
import { toBool } from './text';
import { pointer } from './wire-fields';

/**
 * LGSP REST bodies as OpenCPS's LGSP client writes them (DOMAIN.md §4.4; field set from VietOpenCPS/opencps-v2
 * OpenCPSConverter.convertDossierToLGSPJSON / convertToDocumentTraces and lgsp_schema.xsd). For reading only:
 * every field may be missing, and numbers and booleans may arrive as strings. Dates are
 * `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` with a literal Z; "no date" is `0000-00-00T00:00:00.000+0700`.
 */
export interface LgspSyncDocumentWire {
  /** The one-stop system's LOCAL procedure code (OpenCPS `serviceCode`), not the national one. */
  DocTypeCode?: string;
  DocTypeName?: string;
  DocCode?: string;
  CitizenName?: string;
  CitizenInfo?: string;
  ApplicantsId?: string;
  /** 1 citizen, 2 business, 3 organisation, 4 other. */
  ApplicantsType?: number | string;
  Address?: string;
  Email?: string;
  Phone?: string;
  Compendium?: string;
  DateReceived?: string;
  DateAppointed?: string;
  /** True only while the result waits (OpenCPS `releasing`). */
  IsSuccess?: boolean | string;
  /** When the result became ready; the placeholder date when never. */
  SuccessDate?: string;
  IsReturned?: boolean | string;
  /** The due date (!) until IsReturned is true. */
  ReturnedDate?: string;
  ReturnedType?: number | string;
  /** Set for done, cancelled and denied dossiers. */
  FinishedDate?: string;
  /** Coarse: OpenCPS sends 2 while releasing, 1 otherwise (see DEFAULT_LGSP_STATUS_MAP). */
  Status?: number | string;
  ProcessingOrganName?: string;
  HasSupplementary?: boolean | string;
  RequireSupplementaryDate?: string;
  /** Whole files inline: never copied into events. */
  Attachments?: {
    AttachmentId?: number | string;
    AttachmentName?: string;
    IsDeleted?: boolean;
    IsVerified?: boolean;
    Base64?: string;
  }[];
  DocFees?: { FeeName?: string; FeeType?: number; Price?: number }[];
  OrganInchargeIdLevel1?: string;
  OrganInchargeName?: string;
}

export interface LgspDocumentTraceWire {
  /** The sender's internal dossier id (OpenCPS `dossierId`); DocCode identifies the dossier. */
  DocumentId?: string | number;
  DocCode?: string;
  UserName?: string;
  UserPosition?: string;
  DateCreated?: string;
  Comment?: string;
  /** OpenCPS always sends 0. */
  Status?: number | string;
  OrganizationInchargeIdLevel1?: string;
  OrganizationInchargeName?: string;
}

/** The SyncDocument fields that are personal data (DOMAIN.md §10): only ever via `ctx.applicantFields`. */
export const LGSP_APPLICANT_WIRE_FIELDS: readonly string[] = [
  'CitizenName',
  'CitizenInfo',
  'ApplicantsId',
  'Address',
  'Email',
  'Phone',
];

/**
 * A boolean flag sent as `true`, `"True"`, `1`...; absent or blank is false. Anything else is a `format`
 * error: guessing a flag would guess the dossier's status.
 */
export function readFlag(obj: Record<string, unknown>, name: string, errors: FieldError[]): boolean {
  const v = obj[name];
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) {
    return false;
  }
  const b = toBool(v);
  if (b === null) {
    errors.push({
      field: pointer(name),
      code: 'format',
      message: `${name} must be true or false, got ${JSON.stringify(v)}`,
    });
    return false;
  }
  return b;
}
