import { useCallback, useEffect, useState } from 'react';
import {
  type CatalogueHistoryEntry,
  type CatalogueRefreshResult,
  type CatalogueVersion,
  type UnparsedReport,
  getJson,
  send,
} from '../api';
import { type Key, useT } from '../i18n';
import { ErrorBox, firstOf, RowErrors, when } from './common';

const REASONS = ['no_duration', 'several_durations', 'open_ended'] as const;

/** A refresh from the national portal answers the same shape plus the pull's counts. */
type RefreshAnswer = CatalogueRefreshResult & { listed?: number; tookMs?: number };

/** A version's counts in the page's language; '' for the seed, which has none. */
function versionSummary(t: ReturnType<typeof useT>, summary: Record<string, unknown>): string {
  const count = (key: string) => (typeof summary[key] === 'number' ? summary[key] : 0);
  const keys = ['added', 'restored', 'changed', 'removed', 'unchanged'];
  if (!keys.some((k) => typeof summary[k] === 'number')) {
    return '';
  }
  return t('versionSummary', Object.fromEntries(keys.map((k) => [k, count(k)])));
}

/** Catalogue versions (cat-1 = the seed) and the per-code history of refreshes. */
export function CatalogueVersions({ reloadKey }: { reloadKey: number }) {
  const t = useT();
  const [versions, setVersions] = useState<CatalogueVersion[] | null>(null);
  const [history, setHistory] = useState<CatalogueHistoryEntry[] | null>(null);
  const [filter, setFilter] = useState({ code: '', version: '' });
  const [error, setError] = useState<unknown>(null);

  const loadHistory = useCallback(async (f: { code: string; version: string }) => {
    const q = new URLSearchParams({ limit: '50' });
    if (f.code.trim()) {
      q.set('code', f.code.trim());
    }
    if (f.version.trim()) {
      q.set('version', f.version.trim());
    }
    try {
      setHistory(await getJson<CatalogueHistoryEntry[]>(`/api/catalogue/history?${q.toString()}`));
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    getJson<CatalogueVersion[]>('/api/catalogue/versions').then(setVersions, setError);
    void loadHistory({ code: '', version: '' });
  }, [reloadKey, loadHistory]);

  return (
    <section className="card">
      <h3>{t('catalogueVersions')}</h3>
      <ErrorBox error={error} />
      <table data-testid="catalogue-versions">
        <thead>
          <tr>
            <th>{t('version')}</th>
            <th>{t('source')}</th>
            <th>{t('actor')}</th>
            <th>{t('at')}</th>
            <th>{t('rowCount')}</th>
            <th>{t('changesTitle')}</th>
          </tr>
        </thead>
        <tbody>
          {versions?.map((v) => (
            <tr key={v.version}>
              <td>
                <code>{v.version}</code>
              </td>
              <td>{v.source}</td>
              <td>{v.loadedBy}</td>
              <td>{when(v.loadedAt)}</td>
              <td>{v.rowCount}</td>
              <td className="muted">{versionSummary(t, v.summary)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('catalogueHistory')}</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void loadHistory(filter);
        }}
      >
        <input
          name="historyCode"
          value={filter.code}
          placeholder={t('code')}
          onChange={(e) => setFilter({ ...filter, code: e.target.value })}
        />
        <input
          name="historyVersion"
          value={filter.version}
          placeholder="cat-2"
          onChange={(e) => setFilter({ ...filter, version: e.target.value })}
        />
        <button type="submit" className="secondary">
          {t('filter')}
        </button>
      </form>
      <table data-testid="catalogue-history">
        <thead>
          <tr>
            <th>{t('version')}</th>
            <th>{t('code')}</th>
            <th>{t('change')}</th>
            <th>{t('details')}</th>
            <th>{t('at')}</th>
          </tr>
        </thead>
        <tbody>
          {history?.map((h) => (
            <tr key={h.id}>
              <td>{h.version}</td>
              <td>
                <code>{h.code}</code>
              </td>
              <td>{t(`change.${h.change}` as Key)}</td>
              <td>
                {h.change === 'changed' && h.before && h.after ? (
                  <FieldDiff before={h.before} after={h.after} />
                ) : (
                  (h.after?.name ?? h.before?.name ?? '')
                )}
                {h.replacedBy && (
                  <div>
                    {t('replacedBy')}: <code>{h.replacedBy}</code>
                  </div>
                )}
              </td>
              <td className="muted">{when(h.changedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {history?.length === 0 && <p className="muted">{t('noChanges')}</p>}
    </section>
  );
}

function FieldDiff({
  before,
  after,
}: {
  before: Record<string, string | null>;
  after: Record<string, string | null>;
}) {
  const fields = Object.keys(after).filter((f) => f !== 'code' && before[f] !== after[f]);
  return (
    <ul>
      {fields.map((f) => (
        <li key={f}>
          <code>{f}</code>: <del>{before[f] ?? '—'}</del> → <ins>{after[f] ?? '—'}</ins>
        </li>
      ))}
    </ul>
  );
}

/** Processing-time texts the parser cannot read, for a human to settle on the ISO process. */
export function UnparsedTimes() {
  const t = useT();
  const [reason, setReason] = useState('');
  const [report, setReport] = useState<UnparsedReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const q = new URLSearchParams({ limit: '50' });
    if (reason) {
      q.set('reason', reason);
    }
    getJson<UnparsedReport>(`/api/catalogue/processing-times/unparsed?${q.toString()}`).then(
      setReport,
      setError,
    );
  }, [reason]);

  return (
    <section className="card">
      <h3>{t('unparsedTitle')}</h3>
      <ErrorBox error={error} />
      {report && (
        <p className="muted" data-testid="unparsed-share">
          {t('unparsedShare', {
            parsed: report.parsed,
            filled: report.filled,
            share: (report.parsedShare * 100).toFixed(1),
            n: report.total,
          })}
        </p>
      )}
      <label>
        {t('reason')}
        <select name="reason" value={reason} onChange={(e) => setReason(e.target.value)}>
          <option value="">{t('stateAll')}</option>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`reason.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <table data-testid="unparsed">
        <thead>
          <tr>
            <th>{t('code')}</th>
            <th>{t('name')}</th>
            <th>{t('channel')}</th>
            <th>{t('timeText')}</th>
            <th>{t('reason')}</th>
          </tr>
        </thead>
        <tbody>
          {report?.items.map((u) => (
            <tr key={`${u.code}/${u.channel}`}>
              <td>
                <code>{u.code}</code>
              </td>
              <td>{u.name}</td>
              <td>{t(u.channel)}</td>
              <td>{u.text}</td>
              <td>{t(`reason.${u.reason}` as Key)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report && report.total > report.items.length && (
        <p className="muted">{t('andMore', { n: report.total - report.items.length })}</p>
      )}
    </section>
  );
}

/** The plan of a catalogue refresh, from a file or from the national portal: one view for both. */
export function RefreshDiff({ plan, applied }: { plan: RefreshAnswer; applied: boolean }) {
  const t = useT();
  const s = plan.summary;
  const added = firstOf([...plan.added, ...plan.restored]);
  const changed = firstOf(plan.changed);
  const removed = firstOf(plan.removed);
  const failed = firstOf(plan.failed ?? []);
  return (
    <div data-testid="refresh-result">
      <div className={`msg ${applied ? 'ok' : plan.errors.length === 0 ? 'info' : 'err'}`}>
        {applied ? t('refreshApplied', { v: plan.version ?? '' }) : t('dryRunNote')}{' '}
        {!applied && plan.errors.length > 0 && t('fixErrors')}{' '}
        {t('refreshSummary', {
          added: s['added'] ?? 0,
          restored: s['restored'] ?? 0,
          changed: s['changed'] ?? 0,
          removed: s['removed'] ?? 0,
          unchanged: s['unchanged'] ?? 0,
          errors: s['errors'] ?? 0,
        })}
        {plan.fetched !== undefined && (
          <span data-testid="refresh-fetched">
            {' · '}
            {t('fetched', {
              n: plan.fetched,
              listed: plan.listed ?? plan.fetched + (plan.failed?.length ?? 0),
              failed: plan.failed?.length ?? 0,
              s: ((plan.tookMs ?? 0) / 1000).toFixed(1),
            })}
          </span>
        )}
      </div>
      {failed.shown.length > 0 && (
        <>
          <h3>
            {t('fetchFailed')} ({plan.failed?.length ?? 0})
          </h3>
          <p className="muted">{t('fetchFailedNote')}</p>
          <ul data-testid="refresh-failed">
            {failed.shown.map((f) => (
              <li key={f.code}>
                <code>{f.code}</code>: {f.error}
              </li>
            ))}
          </ul>
          {failed.more > 0 && <p className="muted">{t('andMore', { n: failed.more })}</p>}
        </>
      )}
      <RowErrors errors={plan.errors} testId="refresh-errors" />
      {changed.shown.length > 0 && (
        <>
          <h3>
            {t('changed')} ({plan.changed.length})
          </h3>
          <table data-testid="refresh-changed">
            <tbody>
              {changed.shown.map((c) => (
                <tr key={c.code}>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td>
                    <FieldDiff before={c.before} after={c.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {changed.more > 0 && <p className="muted">{t('andMore', { n: changed.more })}</p>}
        </>
      )}
      {added.shown.length > 0 && (
        <>
          <h3>
            {t('added')} ({plan.added.length + plan.restored.length})
          </h3>
          <table data-testid="refresh-added">
            <tbody>
              {added.shown.map((a) => (
                <tr key={a.code}>
                  <td>
                    <code>{a.code}</code>
                  </td>
                  <td>{a.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {added.more > 0 && <p className="muted">{t('andMore', { n: added.more })}</p>}
        </>
      )}
      {removed.shown.length > 0 && (
        <>
          <h3>
            {t('change.removed')} ({plan.removed.length})
          </h3>
          <table data-testid="refresh-removed">
            <thead>
              <tr>
                <th>{t('code')}</th>
                <th>{t('name')}</th>
                <th>{t('replacedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {removed.shown.map((r) => (
                <tr key={r.code}>
                  <td>
                    <code>{r.code}</code>
                  </td>
                  <td>{r.name}</td>
                  <td>
                    {r.replacedBy ? (
                      <>
                        <code>{r.replacedBy}</code>{' '}
                        <span className="muted">
                          ({t(r.replacedHow === 'declared' ? 'replacedDeclared' : 'replacedSameName')})
                        </span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {removed.more > 0 && <p className="muted">{t('andMore', { n: removed.more })}</p>}
        </>
      )}
      {plan.renamedAgencies.length > 0 && (
        <>
          <h3>{t('renamedAgencies')}</h3>
          <ul data-testid="refresh-renamed">
            {plan.renamedAgencies.map((r, i) => (
              <li key={i}>
                <code>{r.field}</code>: <del>{r.from}</del> → <ins>{r.to}</ins> (
                {t('procedures', { n: r.procedures })})
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.warnings.length > 0 && (
        <details>
          <summary>{t('warnings', { n: plan.warnings.length })}</summary>
          <ul>
            {plan.warnings.map((w, i) => (
              <li key={i}>
                {t('row')} {w.row}: {w.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

type Origin = 'file' | 'portal';

/** Admin only: refresh the catalogue from a CSV/XLSX file or from the national portal, dry run first. */
export function CatalogueRefresh({ onApplied }: { onApplied: () => void }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [plan, setPlan] = useState<{
    origin: Origin;
    result: RefreshAnswer;
    applied: boolean;
  } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // A portal pull reads every procedure (one LayThuTuc each): seconds to minutes, so the page counts.
  const [elapsed, setElapsed] = useState(0);
  const pulling = busy === 'portal-true' || busy === 'portal-false';
  useEffect(() => {
    if (!pulling) {
      return undefined;
    }
    const started = Date.now();
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [pulling]);

  const run = async (origin: Origin, dryRun: boolean) => {
    setBusy(`${origin}-${String(dryRun)}`);
    setElapsed(0);
    setError(null);
    if (dryRun) {
      // A new dry run replaces the last one: no stale diff on screen while it runs.
      setPlan(null);
    }
    try {
      const query = dryRun
        ? 'dryRun=true'
        : `dryRun=false&expectedDiffHash=${encodeURIComponent(plan?.result.diffHash ?? '')}`;
      let result: RefreshAnswer;
      if (origin === 'file') {
        if (!file) {
          return;
        }
        const body = new FormData();
        body.append('file', file, file.name);
        result = await send<CatalogueRefreshResult>('POST', `/api/catalogue/refresh?${query}`, body);
      } else {
        result = await send<RefreshAnswer>('POST', `/api/catalogue/refresh-from-portal?${query}`);
      }
      setPlan({ origin, result, applied: !dryRun });
      if (!dryRun) {
        onApplied();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const canApply = (origin: Origin) =>
    plan !== null &&
    plan.origin === origin &&
    !plan.applied &&
    plan.result.errors.length === 0 &&
    busy === null;

  return (
    <section className="card" data-testid="catalogue-refresh">
      <h3>{t('refreshTitle')}</h3>
      <p className="muted">{t('refreshNote')}</p>
      <div className="row">
        <label>
          {t('file')}
          <input
            type="file"
            name="catalogueFile"
            accept=".csv,.xlsx,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPlan(null);
            }}
          />
        </label>
        <button
          type="button"
          data-testid="refresh-dry-run"
          disabled={!file || busy !== null}
          onClick={() => void run('file', true)}
        >
          {t('dryRun')}
        </button>
        <button
          type="button"
          data-testid="refresh-apply"
          disabled={!canApply('file')}
          onClick={() => void run('file', false)}
        >
          {t('apply')}
        </button>
      </div>
      <p className="muted">{t('portalNote')}</p>
      <div className="row">
        <button
          type="button"
          className="secondary"
          data-testid="portal-dry-run"
          disabled={busy !== null}
          onClick={() => void run('portal', true)}
        >
          {busy === 'portal-true' ? t('loading') : t('refreshFromPortal')}
        </button>
        <button
          type="button"
          data-testid="portal-apply"
          disabled={!canApply('portal')}
          onClick={() => void run('portal', false)}
        >
          {busy === 'portal-false' ? t('loading') : t('applyFromPortal')}
        </button>
      </div>
      {pulling && (
        <div className="msg info" role="status" aria-live="polite" data-testid="portal-progress">
          {t(busy === 'portal-true' ? 'portalPulling' : 'portalApplying')}{' '}
          <span data-testid="portal-elapsed">{t('elapsed', { n: elapsed })}</span>
        </div>
      )}
      <ErrorBox error={error} />
      {plan && <RefreshDiff plan={plan.result} applied={plan.applied} />}
    </section>
  );
}
