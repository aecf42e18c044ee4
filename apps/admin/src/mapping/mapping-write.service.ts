import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@isohub/auth';
import {
  CatalogueAdminStore,
  type IsoProcess,
  type LocalCodeMapping,
  MappingStore,
  type StatusMapping,
  type StatutoryTimes,
} from '@isohub/persistence';
import { parseCatalogueTimes } from '@isohub/timing';
import { assertAgency } from './agency-access';
import { checkNationalCodes } from './catalogue-codes';
import { orThrow, readLocalCode, readProcess, readStatusKey, readStatusMapping } from './mapping-validation';
import { ProblemException } from '../http/problem';

export interface Saved<T> {
  before: T | null;
  after: T;
  changed: boolean;
}

/**
 * Validates, authorises (role by the route, agency here) and writes one draft row; the store records
 * the audit entry in the same transaction.
 */
@Injectable()
export class MappingWriteService {
  constructor(
    @Inject(MappingStore) private readonly store: MappingStore,
    @Inject(CatalogueAdminStore) private readonly catalogue: CatalogueAdminStore,
  ) {}

  private async requireNationalCode(code: string, field: string): Promise<void> {
    const problem = (await checkNationalCodes(this.catalogue, [code])).get(code);
    if (problem) {
      throw ProblemException.invalid([{ field, code: problem.kind, message: problem.message }]);
    }
  }

  async saveLocalCode(
    user: AuthUser,
    params: { sourceSystem: string; localCode: string },
    body: unknown,
  ): Promise<Saved<LocalCodeMapping>> {
    const row = orThrow(readLocalCode(params, body));
    assertAgency(user, row.agencyCode, '/agencyCode');
    await this.requireNationalCode(row.nationalCode, '/nationalCode');
    return this.store.save(user.sub, 'local_code', row, (before) => {
      if (before) {
        assertAgency(user, before.agencyCode, '/agencyCode');
      }
    });
  }

  async deleteLocalCode(
    user: AuthUser,
    params: { sourceSystem: string; localCode: string },
  ): Promise<LocalCodeMapping> {
    return this.store.remove(
      user.sub,
      'local_code',
      {
        sourceSystem: params.sourceSystem.normalize('NFC').trim(),
        localCode: params.localCode.normalize('NFC').trim(),
      },
      (before) => assertAgency(user, before?.agencyCode ?? null, '/agencyCode'),
    );
  }

  async saveStatus(user: AuthUser, body: unknown): Promise<Saved<StatusMapping>> {
    const row = orThrow(readStatusMapping(body));
    assertAgency(user, row.agencyCode, '/agencyCode');
    return this.store.save(user.sub, 'status', row, (before) => {
      if (before) {
        assertAgency(user, before.agencyCode, '/agencyCode');
      }
    });
  }

  async deleteStatus(user: AuthUser, query: Record<string, unknown>): Promise<StatusMapping> {
    const key = orThrow(readStatusKey(query));
    return this.store.remove(user.sub, 'status', key, (before) =>
      assertAgency(user, before?.agencyCode ?? null, '/agencyCode'),
    );
  }

  async saveProcess(
    user: AuthUser,
    params: { agencyCode: string; procedureCode: string },
    body: unknown,
  ): Promise<Saved<IsoProcess>> {
    const read = orThrow(readProcess(params, body));
    assertAgency(user, read.agencyCode, '/agencyCode');
    await this.requireNationalCode(read.procedureCode, '/procedureCode');
    const statutory = read.statutory ?? (await this.catalogueTimes(read.procedureCode));
    return this.store.save(user.sub, 'process', { ...read, statutory });
  }

  async deleteProcess(
    user: AuthUser,
    params: { agencyCode: string; procedureCode: string },
    caseCode: string | undefined,
  ): Promise<IsoProcess> {
    assertAgency(user, params.agencyCode, '/agencyCode');
    return this.store.remove(user.sub, 'process', {
      agencyCode: params.agencyCode.trim(),
      procedureCode: params.procedureCode.trim(),
      caseCode: (caseCode ?? '').normalize('NFC').trim(),
    });
  }

  /** The statutory times the catalogue states for a procedure, where its texts can be read. */
  async catalogueTimes(code: string): Promise<StatutoryTimes> {
    const p = await this.catalogue.get(code);
    if (!p) {
      return {};
    }
    const { parsed } = parseCatalogueTimes(p);
    const withText = (d: (typeof parsed)['online'], text: string | null) =>
      d ? { ...d, text: text ?? undefined } : undefined;
    const out: StatutoryTimes = {};
    const inPerson = withText(parsed.in_person, p.time_in_person);
    const online = withText(parsed.online, p.time_online);
    const postal = withText(parsed.postal, p.time_postal);
    if (inPerson) {
      out.inPerson = inPerson;
    }
    if (online) {
      out.online = online;
    }
    if (postal) {
      out.postal = postal;
    }
    return out;
  }
}
