/**
 * The field layout of a one-stop system's REST API, as data: a new vendor (or a site that renamed a
 * field) is a new profile, not new code. Every name below is a JSON member or query parameter of the
 * vendor's API.
 */

/** `text`: `dd/MM/yyyy HH:mm:ss`, `yyyyMMddHHmmss` or ISO 8601 (Vietnam time unless zoned); `epoch-ms`: a number. */
export type VendorDateFormat = 'text' | 'epoch-ms';

/** How the "changed since" filter value is written on the query string. */
export type SinceFormat = 'dd/MM/yyyy HH:mm:ss' | 'yyyyMMddHHmmss' | 'epoch-ms' | 'iso';

export interface ListLayout {
  /** Relative to the source's base URL. */
  path: string;
  /** The array of dossiers and the total count in the answer (`{ total, data: [...] }`). */
  dataField: string;
  totalField: string | null;
  /** Liferay-style paging: items [start, end). */
  startParam: string;
  endParam: string;
  /** The "modified since" filter; its value is the window's start, inclusive. */
  modifiedSinceParam: string;
  sinceFormat: SinceFormat;
  /**
   * Filter on the dossier code, to read one dossier again (OpenCPS DossierSearchModel `dossierNo`); null when
   * the API has none (its dossiers are then not re-read after a status mapping is published).
   */
  codeParam: string | null;
  /** Fixed parameters, e.g. the ascending sort on the modification time the keyset paging relies on. */
  extraParams: Readonly<Record<string, string>>;
}

export interface ActionsLayout {
  /** `{id}` is replaced by the dossier's id (URL-encoded). */
  path: string;
  dataField: string;
  totalField: string | null;
  startParam: string;
  endParam: string;
  pageSize: number;
}

export interface DossierFields {
  id: string;
  code: string;
  modified: string;
  status: string;
  subStatus: string;
  procedureCode: string;
  procedureName: string;
  sectorCode: string;
  sectorName: string;
  agencyName: string;
  submitted: string;
  received: string;
  due: string;
  finished: string;
  released: string;
  /** Refusal date, when the vendor keeps one; otherwise the refusal action's time is used. */
  refused: string | null;
  /** Boolean-ish: true = submitted online (KenhThucHien 2). */
  online: string | null;
  /** OpenCPS `viaPostal`: 2 = result returned by post (HinhThuc 1). */
  viaPostal: string | null;
  applicantName: string;
  applicantIdNo: string;
  phone: string;
  email: string;
  dateFormat: VendorDateFormat;
}

export interface ActionFields {
  id: string;
  time: string;
  user: string;
  userTitle: string | null;
  /** The role or department that holds the dossier after the action (PhongBanXuLy). */
  unit: string | null;
  actionName: string;
  actionNote: string;
  /** The dossier status the action left, when the API says; else the step table of the source. */
  status: string | null;
  subStatus: string | null;
  stepCode: string | null;
  /** The step's deadline (NgayKetThucTheoQuyDinh); 0 or empty = none. */
  stepDeadline: string | null;
  dateFormat: VendorDateFormat;
}

export interface RestSourceProfile {
  name: string;
  list: ListLayout;
  actions: ActionsLayout;
  dossier: DossierFields;
  action: ActionFields;
  /** Header carrying the site (Liferay group) id on every call. */
  groupHeader: string;
}

/**
 * OpenCPS v2 (`/o/rest/v2`), read from VietOpenCPS/opencps-v2: `GET /dossiers` takes `start`/`end`,
 * `sort`, `order` and date filters named `from<Field>Date` (DossierSearchModel) and answers
 * `{ total, data: [DossierDataModel] }` with dates as `dd/MM/yyyy HH:mm:ss` in Asia/Ho_Chi_Minh
 * (DossierUtils.mappingForGetList; `dueDate` is passed through in the index's `yyyyMMddHHmmss`). Actions
 * carry DossierAction's members with epoch-millisecond dates, as OpenCPS writes them in its
 * `/dossiers/{id}/sequences` answer. Stock OpenCPS has no modified-since filter: `fromModifiedDate`
 * follows its naming and must be provided by the site (or the profile pointed at the site's own filter).
 */
export const OPENCPS_REST_PROFILE: RestSourceProfile = {
  name: 'opencps-rest',
  groupHeader: 'groupId',
  list: {
    path: '/dossiers',
    dataField: 'data',
    totalField: 'total',
    startParam: 'start',
    endParam: 'end',
    modifiedSinceParam: 'fromModifiedDate',
    sinceFormat: 'dd/MM/yyyy HH:mm:ss',
    codeParam: 'dossierNo',
    extraParams: { sort: 'modifiedDate', order: 'asc' },
  },
  actions: {
    path: '/dossiers/{id}/actions',
    dataField: 'data',
    totalField: 'total',
    startParam: 'start',
    endParam: 'end',
    pageSize: 200,
  },
  dossier: {
    id: 'dossierId',
    code: 'dossierNo',
    modified: 'modifiedDate',
    status: 'dossierStatus',
    subStatus: 'dossierSubStatus',
    procedureCode: 'serviceCode',
    procedureName: 'serviceName',
    sectorCode: 'domainCode',
    sectorName: 'domainName',
    agencyName: 'govAgencyName',
    submitted: 'submitDate',
    received: 'receiveDate',
    due: 'dueDate',
    finished: 'finishDate',
    released: 'releaseDate',
    refused: null,
    online: 'online',
    viaPostal: 'viaPostal',
    applicantName: 'applicantName',
    applicantIdNo: 'applicantIdNo',
    phone: 'contactTelNo',
    email: 'contactEmail',
    dateFormat: 'text',
  },
  action: {
    id: 'dossierActionId',
    time: 'createDate',
    user: 'actionUser',
    userTitle: null,
    unit: 'sequenceRole',
    actionName: 'actionName',
    actionNote: 'actionNote',
    status: 'dossierStatus',
    subStatus: 'dossierSubStatus',
    stepCode: 'stepCode',
    stepDeadline: 'dueDate',
    dateFormat: 'epoch-ms',
  },
};

export const REST_PROFILES: Readonly<Record<string, RestSourceProfile>> = {
  [OPENCPS_REST_PROFILE.name]: OPENCPS_REST_PROFILE,
};

/** Per-section overrides of a base profile, as a source's configuration may give them. */
export interface RestProfileOverrides {
  groupHeader?: string;
  list?: Partial<ListLayout>;
  actions?: Partial<ActionsLayout>;
  dossier?: Partial<DossierFields>;
  action?: Partial<ActionFields>;
}

export function withOverrides(base: RestSourceProfile, o: RestProfileOverrides = {}): RestSourceProfile {
  return {
    name: base.name,
    groupHeader: o.groupHeader ?? base.groupHeader,
    list: { ...base.list, ...o.list },
    actions: { ...base.actions, ...o.actions },
    dossier: { ...base.dossier, ...o.dossier },
    action: { ...base.action, ...o.action },
  };
}
