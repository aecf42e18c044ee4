import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SANDBOX_CONFIG, type SandboxConfig } from '../sandbox.config';
import { answers, type PortalStyleAnswer } from './portal-answers';
import { PortalCatalogue } from './portal-catalogue.service';
import { PortalRecorder, type SenderStyle } from './portal-recorder';

type Item = Record<string, unknown>;
export type ThanhHoaOperation = 'create' | 'update' | 'progress';

function isRecord(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') {
    return value.trim().normalize('NFC');
  }
  return typeof value === 'number' ? String(value) : null;
}

/** Items of a `data` array (or a Thanh Hóa body), each needing a MaHoSo; else what is wrong. */
function readItems(data: unknown): { items: { code: string; item: Item }[] } | { problem: string } {
  if (!Array.isArray(data)) {
    return { problem: 'data phải là một mảng' };
  }
  const items: { code: string; item: Item }[] = [];
  for (const [index, item] of data.entries()) {
    if (!isRecord(item)) {
      return { problem: `phần tử ${index} không phải là đối tượng` };
    }
    const code = text(item['MaHoSo']);
    if (code === null) {
      return { problem: `phần tử ${index} thiếu MaHoSo` };
    }
    items.push({ code, item });
  }
  return { items };
}

/** The behaviour of the national portal's sync services, over the in-memory recorder. */
@Injectable()
export class PortalSimulator {
  private readonly sessions = new Set<string>();

  constructor(
    @Inject(PortalRecorder) private readonly recorder: PortalRecorder,
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    @Inject(PortalCatalogue) private readonly catalogue: PortalCatalogue,
  ) {}

  login(body: unknown): PortalStyleAnswer {
    const { username, password, accounts = [] } = this.config.portal;
    const known = [{ username, password }, ...accounts];
    if (
      !isRecord(body) ||
      !known.some((a) => body['username'] === a.username && body['password'] === a.password)
    ) {
      return answers.badCredentials();
    }
    const session = randomUUID();
    this.sessions.add(session);
    return answers.loggedIn(session);
  }

  /** Forgets every session, as a portal restart would; the next call with an old one is refused. */
  expireSessions(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    return count;
  }

  integration(body: unknown): PortalStyleAnswer {
    if (!isRecord(body)) {
      return answers.invalid('nội dung yêu cầu phải là đối tượng JSON');
    }
    const session = body['session'];
    if (typeof session !== 'string' || !this.sessions.has(session)) {
      return answers.staleSession();
    }
    const service = text(body['service']) ?? '';
    const madonvi = text(body['madonvi']);
    switch (service) {
      case 'LayDanhSachTTHC':
      case 'LayThuTuc':
        return this.catalogueService(service, body);
      case 'DongBoHoSoMC':
        return this.upsert(
          body['data'],
          text(body['isUpdating'])?.toLowerCase() === 'true',
          madonvi,
          'opencps',
        );
      case 'CapNhatTienDoHoSoMC':
        return this.progress(body['data'], madonvi, 'opencps');
      case 'DongBoTrangThaiHoSo':
        // OpenCPS 2021's TTKM variant sends one progress object, not an array (wire-formats.md §1.5).
        return this.progress(isRecord(body['data']) ? [body['data']] : body['data'], madonvi, 'opencps');
      case 'TraCuuHoSo':
        return this.lookup(body);
      default:
        return answers.unknownService(service);
    }
  }

  /** The share endpoint (OpenCPS `share_endpoint`): the catalogue services only, behind the session. */
  share(body: unknown): PortalStyleAnswer {
    const service = isRecord(body) ? (text(body['service']) ?? '') : '';
    if (isRecord(body) && service !== 'LayDanhSachTTHC' && service !== 'LayThuTuc') {
      return answers.unknownService(service);
    }
    return this.integration(body);
  }

  private catalogueService(service: 'LayDanhSachTTHC' | 'LayThuTuc', body: Item): PortalStyleAnswer {
    if (service === 'LayDanhSachTTHC') {
      return answers.catalogue(this.catalogue.list());
    }
    // OpenCPS sends `maTTHC`; the result's own key is `MATTHC`.
    const code = text(body['maTTHC']) ?? text(body['MaTTHC']) ?? text(body['MATTHC']);
    if (code === null) {
      return answers.invalid('thiếu maTTHC');
    }
    const record = this.catalogue.record(code);
    return answers.catalogue(record ? [record] : []);
  }

  /** Thanh Hóa style: a bare array, no credentials, one URL per operation. */
  thanhHoa(operation: ThanhHoaOperation, body: unknown): PortalStyleAnswer {
    switch (operation) {
      case 'create':
        return this.upsert(body, false, null, 'thanhhoa');
      case 'update':
        return this.upsert(body, true, null, 'thanhhoa');
      case 'progress':
        return this.progress(body, null, 'thanhhoa');
    }
  }

  /** A create naming a known dossier is refused as a whole, so nothing of it is half-applied. */
  private upsert(
    data: unknown,
    isUpdating: boolean,
    madonvi: string | null,
    style: SenderStyle,
  ): PortalStyleAnswer {
    const read = readItems(data);
    if ('problem' in read) {
      return answers.invalid(read.problem);
    }
    if (!isUpdating) {
      const existing = read.items.filter(({ code }) => this.recorder.has(code)).map(({ code }) => code);
      if (existing.length > 0) {
        return answers.alreadyExists(existing, style === 'thanhhoa' ? '-3' : '3');
      }
    }
    for (const { code, item } of read.items) {
      this.recorder.saveSnapshot(code, item, madonvi, style);
    }
    return answers.synced(read.items.length);
  }

  private progress(data: unknown, madonvi: string | null, style: SenderStyle): PortalStyleAnswer {
    const read = readItems(data);
    if ('problem' in read) {
      return answers.invalid(read.problem);
    }
    for (const { code, item } of read.items) {
      this.recorder.addProgress(code, item, madonvi, style);
    }
    return answers.progressSaved(read.items.length);
  }

  /** OpenCPS's copies disagree on the key's case (`MaHoSo`, `mahoso`); accept either. */
  private lookup(body: Item): PortalStyleAnswer {
    const code = text(body['MaHoSo']) ?? text(body['mahoso']);
    if (code === null) {
      return answers.invalid('thiếu mã hồ sơ cần tra cứu');
    }
    const snapshot = this.recorder.find(code)?.snapshot;
    return answers.found(snapshot ? [snapshot] : []);
  }
}
