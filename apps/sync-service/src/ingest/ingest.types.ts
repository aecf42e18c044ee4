import type { FieldError, SenderProfile } from '@isohub/mapping';

export type IngestOperation = 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC';

export interface SenderIdentity {
  id: string;
  profile: SenderProfile;
  agency: string | null;
  applicantFields: readonly string[];
}

export interface ForwardRequest {
  style: 'opencps' | 'thanhhoa';
  /** For the Thanh Hóa style: `create` | `update` | `progress`; for OpenCPS the service name. */
  operation: string;
  madonvi: string | null;
  isUpdating: string | null;
  /** The request body exactly as received (the OpenCPS session is swapped at forwarding time). */
  body: Buffer;
}

export interface IngestRequest {
  sender: SenderIdentity;
  protocol: string;
  operation: IngestOperation;
  items: unknown[];
  receivedAt: Date;
  traceparent?: string;
  forward: ForwardRequest | null;
}

export interface ItemResult {
  index: number;
  dossierCode: string | null;
  accepted: boolean;
  /** New events written for this item (0 for a re-send of a known change). */
  events: number;
  errors: FieldError[];
}

export interface IngestResult {
  items: ItemResult[];
  accepted: number;
  rejected: number;
  events: number;
}
