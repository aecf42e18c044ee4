import { useCallback, useEffect, useState } from 'react';
import { type AdapterStatus, type ConnectionTest, type Readiness, getJson, send } from '../api';
import { type Translate, useT } from '../i18n';
import { ErrorBox, when } from './common';
import { ReadinessPanel } from './ReadinessPanel';

const CIRCUITS: string[] = ['closed', 'open', 'half-open', 'isolated'] satisfies Circuit[];
type Circuit = 'closed' | 'open' | 'half-open' | 'isolated';

/** "42 giây", "5 phút", "3 giờ", "2 ngày": how far behind the source's cursor is. */
function lag(seconds: number | null, t: Translate): string {
  if (seconds === null) {
    return '—';
  }
  if (seconds < 120) {
    return t('seconds', { n: seconds });
  }
  if (seconds < 7_200) {
    return t('minutes', { n: Math.round(seconds / 60) });
  }
  if (seconds < 172_800) {
    return t('hoursN', { n: Math.round(seconds / 3_600) });
  }
  return t('days', { n: Math.round(seconds / 86_400) });
}

function AdapterRow({
  a,
  admin,
  onChanged,
}: {
  a: AdapterStatus;
  admin: boolean;
  onChanged: (a: AdapterStatus) => void;
}) {
  const t = useT();
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const path = `/api/adapters/${encodeURIComponent(a.id)}`;

  const act = async (what: 'test-connection' | 'pause' | 'resume') => {
    setBusy(true);
    setError(null);
    try {
      if (what === 'test-connection') {
        setTest(await send<ConnectionTest>('POST', `${path}/test-connection`));
      } else {
        onChanged(await send<AdapterStatus>('POST', `${path}/${what}`));
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-adapter={a.id}>
      <td>
        <strong>{a.id}</strong>
        <div className="muted">
          {a.type}
          {a.agency ? ` · ${a.agency}` : ''}
          {a.enabled ? '' : ` · ${t('disabled')}`}
        </div>
      </td>
      <td>
        <span
          className={`badge ${a.health === 'up' ? 'up' : a.health === 'down' ? 'down' : ''}`}
          data-testid="health"
        >
          {t(a.health === 'up' ? 'healthUp' : a.health === 'down' ? 'healthDown' : 'healthUnknown')}
        </span>
        {a.lastError && (
          <div className="muted" title={a.lastError.message}>
            {a.lastError.code} · {when(a.lastError.at)}
          </div>
        )}
      </td>
      <td>{lag(a.lagSeconds, t)}</td>
      <td>
        {when(a.lastPollAt)}
        <div className="muted">
          {t('lastSuccess')}: {when(a.lastSuccessAt)}
        </div>
      </td>
      <td>
        <span className={`badge ${a.circuit === 'closed' ? 'up' : 'down'}`}>
          {CIRCUITS.includes(a.circuit) ? t(`circuit.${a.circuit as Circuit}`) : a.circuit}
        </span>
      </td>
      <td>
        <span className={`badge ${a.paused ? 'warn' : 'up'}`} data-testid="paused">
          {a.paused ? t('paused') : t('running')}
        </span>
      </td>
      <td data-testid="dead-letters">
        {a.openDeadLetters}
        {a.openDeadLettersCapped ? '+' : ''}
      </td>
      <td>
        {a.flags.length === 0
          ? '—'
          : a.flags.map((f) => (
              <div key={f.code} title={f.detail}>
                <code>{f.code}</code> × {f.count}
              </div>
            ))}
      </td>
      {admin && (
        <td>
          <div className="row">
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void act('test-connection')}
            >
              {t('testConnection')}
            </button>
            {a.paused ? (
              <button type="button" disabled={busy} onClick={() => void act('resume')}>
                {t('resume')}
              </button>
            ) : (
              <button type="button" className="danger" disabled={busy} onClick={() => void act('pause')}>
                {t('pause')}
              </button>
            )}
          </div>
          {test && (
            <div className={`msg ${test.ok ? 'ok' : 'err'}`} data-testid="connection-result">
              {test.ok ? t('connectionOk') : t('connectionFailed')} ({test.latencyMs} ms): {test.detail}
            </div>
          )}
          <ErrorBox error={error} />
        </td>
      )}
    </tr>
  );
}

/** The sync service's pull sources (through the admin's /api/adapters) and the hub's readiness. */
export function AdaptersPage({ admin }: { admin: boolean }) {
  const t = useT();
  const [adapters, setAdapters] = useState<AdapterStatus[] | null>(null);
  const [adaptersError, setAdaptersError] = useState<unknown>(null);
  const [ready, setReady] = useState<Readiness | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    setError(null);
    setAdaptersError(null);
    getJson<{ adapters: AdapterStatus[] }>('/api/adapters').then(
      (r) => setAdapters(r.adapters),
      (err: unknown) => {
        setAdapters(null);
        setAdaptersError(err);
      },
    );
    getJson<Readiness>('/api/status/ready').then(setReady, setError);
  }, []);
  useEffect(load, [load]);

  return (
    <>
      <h2>{t('adaptersTitle')}</h2>
      <div className="row">
        <button type="button" className="secondary" onClick={load}>
          {t('refresh')}
        </button>
        <a href="/status">{t('statusPage')}</a>
      </div>
      <h3>{t('pullSources')}</h3>
      <p className="muted">{t('adaptersNote')}</p>
      <ErrorBox error={adaptersError} />
      {adapters && adapters.length === 0 && <p className="muted">{t('noAdapters')}</p>}
      {adapters && adapters.length > 0 && (
        <table data-testid="adapters">
          <thead>
            <tr>
              <th>{t('adapter')}</th>
              <th>{t('health')}</th>
              <th>{t('lag')}</th>
              <th>{t('lastPoll')}</th>
              <th>{t('circuit')}</th>
              <th>{t('polling')}</th>
              <th>{t('deadLetters')}</th>
              <th>{t('flags')}</th>
              {admin && <th>{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {adapters.map((a) => (
              <AdapterRow
                key={a.id}
                a={a}
                admin={admin}
                onChanged={(next) =>
                  setAdapters((list) => list?.map((x) => (x.id === next.id ? next : x)) ?? null)
                }
              />
            ))}
          </tbody>
        </table>
      )}
      <ErrorBox error={error} />
      {ready && <ReadinessPanel ready={ready} />}
    </>
  );
}
