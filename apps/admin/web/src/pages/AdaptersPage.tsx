import { useCallback, useEffect, useState } from 'react';
import { type Readiness, getJson } from '../api';
import { useT } from '../i18n';
import { ErrorBox, Json } from './common';

/** The hub's readiness as the sync-service reports it; no per-adapter API exists in the admin yet. */
export function AdaptersPage() {
  const t = useT();
  const [ready, setReady] = useState<Readiness | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    setError(null);
    getJson<Readiness>('/api/status/ready').then(setReady, setError);
  }, []);
  useEffect(load, [load]);

  return (
    <>
      <h2>{t('adaptersTitle')}</h2>
      <p className="muted">{t('adaptersNote')}</p>
      <div className="row">
        <button type="button" className="secondary" onClick={load}>
          {t('refresh')}
        </button>
        <a href="/status">{t('statusPage')}</a>
      </div>
      <ErrorBox error={error} />
      {ready && (
        <section className="card" data-testid="readiness">
          <p>
            {t('hubStatus')}:{' '}
            <span className={`badge ${ready.status === 'up' ? 'up' : 'down'}`}>{ready.status}</span>
          </p>
          {!ready.reachable && (
            <div className="msg err">
              {t('unreachable')}: {ready.problem}
            </div>
          )}
          {Object.keys(ready.checks).length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{t('check')}</th>
                  <th>{t('details')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(ready.checks).map(([name, check]) => (
                  <tr key={name}>
                    <td>{name}</td>
                    <td>
                      <Json value={check} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
