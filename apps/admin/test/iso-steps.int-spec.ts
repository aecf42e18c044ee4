import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MappingStore, openDatabase, StepTimingStore } from '@isohub/persistence';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { startMappingApp, userHeader } from './mapping-test-app';

const mapper = userHeader({ sub: 'mapper-1', roles: ['mapper'], agencies: ['*'] });
const viewer = userHeader({ sub: 'viewer-1', roles: ['viewer'] });

/** Issue 11 §2: step match rules and the unmatched-steps queue on the admin API. */
describe('/api/iso-steps', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;

  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    db = await freshDatabase();
    ds = await openDatabase({ url: db.url, poolMax: 2 });
    ({ app, url: base } = await startMappingApp(ds, null));
  });

  afterAll(async () => {
    await app?.close();
    await ds?.destroy();
    await db?.drop();
  });

  it('a mapper adds a rule (folded), which clears the queued step; a viewer reads; bad input is named', async () => {
    await ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO unmatched_iso_step (source_system, procedure_code, sender_step, sample_dossier)
         VALUES ('onestop-x', '1.001193', 'phòng tư pháp', 'D-1'), ('onestop-x', '1.001193', 'văn phòng sở', 'D-2')`,
      );
    });
    expect((await call('GET', '/api/iso-steps/unmatched', viewer)).body).toHaveLength(2);

    const saved = await call('PUT', '/api/iso-steps/rules', mapper, {
      sourceSystem: 'onestop-x',
      senderStep: '  Phòng   TƯ PHÁP ',
      isoStepNo: 2,
    });
    expect(saved).toMatchObject({
      status: 200,
      body: { sourceSystem: 'onestop-x', procedureCode: '*', senderStep: 'phòng tư pháp', isoStepNo: 2 },
    });
    expect((await call('GET', '/api/iso-steps/rules?sourceSystem=onestop-x', viewer)).body).toEqual([
      {
        sourceSystem: 'onestop-x',
        procedureCode: '*',
        senderStep: 'phòng tư pháp',
        isoStepNo: 2,
        note: null,
      },
    ]);
    expect((await call('GET', '/api/iso-steps/unmatched', viewer)).body).toEqual([
      expect.objectContaining({ senderStep: 'văn phòng sở', sampleDossier: 'D-2' }),
    ]);

    expect(
      (
        await call('PUT', '/api/iso-steps/rules', viewer, {
          sourceSystem: 'x',
          senderStep: 'y',
          isoStepNo: 1,
        })
      ).status,
    ).toBe(403);
    const bad = await call('PUT', '/api/iso-steps/rules', mapper, { sourceSystem: 'a b', isoStepNo: 0 });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('/senderStep');

    const removed = await call(
      'DELETE',
      `/api/iso-steps/rules/onestop-x/*/${encodeURIComponent('Phòng Tư pháp')}`,
      mapper,
    );
    expect(removed.status).toBe(200);
    expect(await new StepTimingStore(ds).listMatchRules()).toEqual([]);
    expect((await call('DELETE', '/api/iso-steps/rules/onestop-x/*/none', mapper)).status).toBe(404);
  });

  it('warns about an ISO process whose steps exceed the statutory time of a channel', async () => {
    await new MappingStore(ds).save('test', 'process', {
      agencyCode: '000.00.12.H56',
      procedureCode: '1.001193',
      caseCode: '',
      isoCode: null,
      name: null,
      statutory: { inPerson: { value: 1, unit: 'working_days', hours: 8 } },
      steps: [2, 12].map((allowanceHours, i) => ({
        stepNo: i + 1,
        code: null,
        name: `Bước ${i + 1}`,
        responsibleUnit: null,
        allowanceHours,
        nationalStatus: null,
        formCodes: [],
      })),
    });
    const res = await call('GET', '/api/iso-steps/process-warnings/000.00.12.H56/1.001193', viewer);
    expect(res).toEqual({
      status: 200,
      body: {
        version: 'draft',
        warnings: [
          { code: 'steps_exceed_statutory', channel: 'inPerson', stepsHours: 14, statutoryHours: 8 },
        ],
      },
    });
    expect((await call('GET', '/api/iso-steps/process-warnings/000.00.12.H56/9.999999', viewer)).status).toBe(
      404,
    );
  });
});
