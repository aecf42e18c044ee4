import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mapPortalProcedure, PortalAdapter, validatePortalConfig } from '@isohub/adapters/portal';
import { parseProcessingTime } from '@isohub/timing';
import { createSandboxApp } from '../sandbox.app';

const NFD_NAME = 'Thủ tục đăng ký khai sinh'.normalize('NFD');
const CSV = [
  'code,name,issuing_body,implementing_agency,field,portal_url,time_in_person,time_online,time_postal',
  `1.001193,${NFD_NAME},Bộ Tư pháp,Ủy ban nhân dân cấp xã; Ủy ban nhân dân cấp xã,Hộ tịch,https://dichvucong.gov.vn/p/1,03 Ngày làm việc,5 ngày làm việc ngày,`,
  '2.000488,Cấp Phiếu lý lịch tư pháp,Bộ Tư pháp,Sở Tư pháp,Lý lịch tư pháp,,Theo mô tả ngày,,',
  '1.000001,Thủ tục khác,UBND tỉnh Lạng Sơn,,Đất đai,,,,',
].join('\n');

let dir: string;
let app: INestApplication;
let base: string;
let portal: PortalAdapter;

async function send(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'isohub-sandbox-catalogue-'));
  writeFileSync(join(dir, 'procedures.csv'), CSV);
  app = await createSandboxApp(
    {
      host: '127.0.0.1',
      port: 0,
      maxBody: '1mb',
      portal: { username: 'isohub', password: 'pw', catalogueCsv: join(dir, 'procedures.csv') },
    },
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  portal = new PortalAdapter(
    validatePortalConfig({ baseUrl: base, sharePath: '/api/share', username: 'isohub', password: 'pw' }),
  );
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await send('DELETE', '/_sandbox/faults/portal');
  await send('DELETE', '/_sandbox/portal/catalogue/drift');
});

describe('simulated portal catalogue', () => {
  it('lists the CSV on the share endpoint and serves LayThuTuc records the mapper reads back', async () => {
    const list = await portal.listProcedures({ madonvi: '000.00.00.H56' });
    expect(list.procedures.map((p) => p.code)).toEqual(['1.001193', '2.000488', '1.000001']);

    const answer = await portal.getProcedure({ madonvi: '000.00.00.H56', maTTHC: '1.001193' });
    // On the wire as the crawl has it: NFD.
    expect(answer.procedure?.['TENTTHC']).toBe(NFD_NAME);
    const read = mapPortalProcedure(answer.procedure, '1.001193');
    expect(read).toMatchObject({
      ok: true,
      row: {
        name: NFD_NAME.normalize('NFC'),
        issuing_body: 'Bộ Tư pháp',
        implementing_agency: 'Ủy ban nhân dân cấp xã; Ủy ban nhân dân cấp xã',
        field: 'Hộ tịch',
        portal_url: 'https://dichvucong.gov.vn/p/1',
        time_in_person: '3 Ngày làm việc',
        time_online: '5 Ngày làm việc',
        time_postal: null,
      },
    });
    const free = mapPortalProcedure(
      (await portal.getProcedure({ madonvi: 'x', maTTHC: '2.000488' })).procedure,
    );
    expect(free).toMatchObject({ ok: true, row: { time_in_person: 'Theo mô tả ngày', time_online: null } });
    expect((await portal.getProcedure({ madonvi: 'x', maTTHC: '9.999999' })).procedure).toBeNull();
  });

  it('drifts: a code replaced, an issuing body renamed, a channel time changed; reset restores', async () => {
    const drift = await send('POST', '/_sandbox/portal/catalogue/drift', [
      { op: 'replace-code', code: '2.000488', newCode: '3.000333' },
      { op: 'rename-issuing-body', from: 'UBND tỉnh Lạng Sơn', to: 'Ủy ban nhân dân tỉnh Lạng Sơn' },
      { op: 'set-time', code: '1.001193', channel: 'online', text: '7 ngày làm việc' },
    ]);
    expect(drift).toMatchObject({ status: 201, json: { procedures: 3 } });

    const codes = (await portal.listProcedures({ madonvi: 'x' })).procedures.map((p) => p.code);
    expect(codes).toEqual(['1.001193', '3.000333', '1.000001']);
    const moved = mapPortalProcedure(
      (await portal.getProcedure({ madonvi: 'x', maTTHC: '3.000333' })).procedure,
    );
    expect(moved).toMatchObject({ ok: true, row: { name: 'Cấp Phiếu lý lịch tư pháp' } });
    const renamed = mapPortalProcedure(
      (await portal.getProcedure({ madonvi: 'x', maTTHC: '1.000001' })).procedure,
    );
    expect(renamed).toMatchObject({ row: { issuing_body: 'Ủy ban nhân dân tỉnh Lạng Sơn' } });
    const timed = mapPortalProcedure(
      (await portal.getProcedure({ madonvi: 'x', maTTHC: '1.001193' })).procedure,
    );
    expect(timed.ok && parseProcessingTime(timed.row.time_online)).toMatchObject({
      ok: true,
      duration: { value: 7, unit: 'working_days' },
    });

    expect(
      await send('POST', '/_sandbox/portal/catalogue/drift', { op: 'remove-code', code: '2.000488' }),
    ).toMatchObject({
      status: 400,
    });
    await send('DELETE', '/_sandbox/portal/catalogue/drift');
    expect((await portal.listProcedures({ madonvi: 'x' })).procedures.map((p) => p.code)).toContain(
      '2.000488',
    );
  });

  it('faults one service of one endpoint, counts down, and leaves the rest alone', async () => {
    const set = await send('PUT', '/_sandbox/faults/portal/integration.LayThuTuc', {
      mode: 'malformed',
      count: 2,
    });
    expect(set).toMatchObject({ status: 200, json: { mode: 'malformed', remaining: 2 } });

    await expect(portal.getProcedure({ madonvi: 'x', maTTHC: '1.001193' })).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
    });
    expect((await portal.listProcedures({ madonvi: 'x' })).procedures).toHaveLength(3);
    await expect(portal.getProcedure({ madonvi: 'x', maTTHC: '1.001193' })).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
    });
    expect((await portal.getProcedure({ madonvi: 'x', maTTHC: '1.001193' })).procedure).not.toBeNull();
    expect(await send('GET', '/_sandbox/faults/portal/integration.LayThuTuc')).toMatchObject({
      json: { mode: 'none', injected: 2 },
    });

    await send('PUT', '/_sandbox/faults/portal/share', { mode: 'http500' });
    await expect(portal.listProcedures({ madonvi: 'x' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect((await portal.getProcedure({ madonvi: 'x', maTTHC: '1.000001' })).procedure).not.toBeNull();
    expect(await send('GET', '/_sandbox/faults/portal')).toMatchObject({ json: { mode: 'none' } });
    expect(await send('PUT', '/_sandbox/faults/portal/nowhere', { mode: 'down' })).toMatchObject({
      status: 400,
    });
  });

  it('answers only catalogue services on the share endpoint', async () => {
    const session = (await send('POST', '/api/auth', { username: 'isohub', password: 'pw' })).json as {
      session: string;
    };
    const answer = await send('POST', '/api/share', {
      session: session.session,
      madonvi: 'x',
      service: 'DongBoHoSoMC',
      data: [],
    });
    expect(answer.json).toMatchObject({ error_code: '-1' });
  });
});
