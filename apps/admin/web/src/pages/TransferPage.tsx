import { useState } from 'react';
import { type ImportResult, send } from '../api';
import { useT } from '../i18n';
import { ErrorBox, Json, RowErrors } from './common';
import { ImportHelp } from './ImportHelp';

type Kind = 'local-codes' | 'processes';

export function TransferPage({ writer }: { writer: boolean }) {
  const t = useT();
  const [kind, setKind] = useState<Kind>('local-codes');
  const [file, setFile] = useState<File | null>(null);
  const [plan, setPlan] = useState<ImportResult | null>(null);
  const [applied, setApplied] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const upload = async (dryRun: boolean) => {
    if (!file) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      const query = dryRun
        ? 'dryRun=true'
        : `dryRun=false&expectedDiffHash=${encodeURIComponent(plan?.diffHash ?? '')}`;
      const result = await send<ImportResult>('POST', `/api/mapping/imports/${kind}?${query}`, body);
      if (dryRun) {
        setPlan(result);
        setApplied(null);
      } else {
        setApplied(result);
        setPlan(null);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const shown = applied ?? plan;
  return (
    <>
      <h2>{t('nav.transfer')}</h2>
      {writer && (
        <section className="card">
          <h3>{t('importTitle')}</h3>
          <div className="row">
            <label>
              {t('kind')}
              <select
                value={kind}
                onChange={(e) => {
                  setKind(e.target.value as Kind);
                  setPlan(null);
                  setApplied(null);
                }}
              >
                <option value="local-codes">{t('kindLocal')}</option>
                <option value="processes">{t('kindProcess')}</option>
              </select>
            </label>
            <label>
              {t('file')}
              <input
                type="file"
                name="file"
                accept=".csv,.xlsx,text/csv"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setPlan(null);
                  setApplied(null);
                }}
              />
            </label>
            <button type="button" disabled={!file || busy} onClick={() => void upload(true)}>
              {t('dryRun')}
            </button>
            <button
              type="button"
              data-testid="apply"
              disabled={!plan || !plan.valid || busy}
              onClick={() => void upload(false)}
            >
              {t('apply')}
            </button>
          </div>
          <ImportHelp kind={kind} />
        </section>
      )}
      <ErrorBox error={error} />
      {shown && (
        <section className="card" data-testid="import-result">
          <div className={`msg ${applied ? 'ok' : shown.valid ? 'info' : 'err'}`}>
            {applied ? t('applied') : shown.valid ? t('dryRunNote') : `${t('dryRunNote')} ${t('fixErrors')}`}{' '}
            {t('summary', { ...shown.summary })}
          </div>
          <RowErrors errors={shown.errors} testId="row-errors" />
          {shown.added.length > 0 && (
            <>
              <h3>
                {t('added')} ({shown.added.length})
              </h3>
              <table>
                <tbody>
                  {shown.added.map((a, i) => (
                    <tr key={i}>
                      <td>
                        <Json value={a} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {shown.changed.length > 0 && (
            <>
              <h3>
                {t('changed')} ({shown.changed.length})
              </h3>
              <table>
                <thead>
                  <tr>
                    <th>{t('before')}</th>
                    <th>{t('after')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.changed.map((c, i) => (
                    <tr key={i}>
                      <td>
                        <Json value={c.before} />
                      </td>
                      <td>
                        <Json value={c.after} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {shown.removed.length > 0 && (
            <>
              <h3>
                {t('removed')} ({shown.removed.length})
              </h3>
              <table>
                <tbody>
                  {shown.removed.map((r, i) => (
                    <tr key={i}>
                      <td>
                        <Json value={r} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      )}
      <section className="card">
        <h3>{t('exportTitle')}</h3>
        <ul>
          {(['local-codes', 'processes'] as const).map((k) => (
            <li key={k}>
              {k === 'local-codes' ? t('kindLocal') : t('kindProcess')}:{' '}
              <a href={`/api/mapping/exports/${k}?format=csv`} download>
                CSV
              </a>{' '}
              ·{' '}
              <a href={`/api/mapping/exports/${k}?format=xlsx`} download>
                XLSX
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
