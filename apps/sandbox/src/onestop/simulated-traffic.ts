import type { WireItem } from './sender-shared';

export type OpenCpsService = 'TraCuuHoSo' | 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC';
export type ThanhHoaOperation = 'create' | 'update' | 'progress';

/** An OpenCPS envelope without `session`: whoever sends it logs in and adds its own. */
export interface OpenCpsEnvelope {
  madonvi: string;
  service: OpenCpsService;
  isUpdating?: 'True' | 'False';
  /** TraCuuHoSo only, lower-case as OpenCPS sends it. */
  mahoso?: string;
  data?: WireItem[];
}

interface MessageBase {
  /** When the sender sends it: `yyyyMMddHHmmss`, Vietnam time. */
  at: string;
  atEpochMs: number;
  dossierCode: string;
}

export interface OpenCpsMessage extends MessageBase {
  sender: 'opencps';
  service: OpenCpsService;
  body: OpenCpsEnvelope;
}

/**
 * A Thanh Hóa post: a bare array for `URLThemMoi` (create), `URLCapNhat` (update) or
 * `URLDongBoTienTrinh` (progress). The sender always creates first and posts the same body as an update
 * when the answer says "đã tồn tại" (wire-formats.md §2.3); a driver replaying these reproduces that.
 */
export interface ThanhHoaMessage extends MessageBase {
  sender: 'thanhhoa';
  operation: ThanhHoaOperation;
  body: WireItem[];
}

export type SimulatedMessage = OpenCpsMessage | ThanhHoaMessage;
