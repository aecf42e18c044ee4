import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PortalPort } from '@isohub/adapters/portal';
import type { DossierState } from '@isohub/events';
import { DATA_SOURCE } from '../infra/infra.module';

/**
 * TraCuuHoSo for a takeover sender. OpenCPS looks a dossier up to choose create or update (DOMAIN.md §4.2).
 * The portal's own answer (asked with the sender's own account) is relayed when the portal answers;
 * otherwise the hub answers from what it has seen. A wrong "not found" is harmless: a create the portal already has comes back "đã tồn tại"
 * and the forwarder resends it as an update.
 */
@Injectable()
export class LookupService {
  private readonly logger = new Logger(LookupService.name);

  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** `portal`: the portal as the sender (its own account), or null when none is configured. */
  async lookup(envelope: Record<string, unknown>, portal: PortalPort | null): Promise<unknown> {
    const data = envelope['data'];
    const first = Array.isArray(data) ? (data[0] as Record<string, unknown> | undefined) : undefined;
    const raw = envelope['mahoso'] ?? first?.['MaHoSo'] ?? first?.['mahoso'];
    const code =
      typeof raw === 'string' || typeof raw === 'number' ? String(raw).normalize('NFC').trim() : '';
    const madonvi = typeof envelope['madonvi'] === 'string' ? envelope['madonvi'] : '';
    if (portal && code) {
      try {
        const answer = await portal.lookupDossier({ madonvi, maHoSo: code });
        return answer.raw;
      } catch (error) {
        this.logger.warn(`portal lookup unavailable, answering from the hub: ${String(error)}`);
      }
    }
    const rows: { state: DossierState | null }[] = code
      ? await this.ds.query(`SELECT state FROM dossier_state WHERE dossier_code = $1`, [code])
      : [];
    const state = rows[0]?.state;
    return {
      error_code: '0',
      message: state ? 'Tra cứu thành công' : 'Không tìm thấy hồ sơ',
      result: state
        ? [{ MaHoSo: state.dossierCode, TrangThaiHoSo: String(state.status.national ?? '') }]
        : [],
    };
  }
}
