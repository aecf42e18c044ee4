import { useContext, useEffect, useState } from 'react';
import { getJson } from '../api';
import { I18n } from '../i18n';
import { useNationalSyncT } from '../national-sync-i18n';
import { ErrorBox, when } from './common';

interface SenderRow {
  sender: string;
  style: string;
  mode: string;
  delivered: number;
  refused: number;
  unanswered: number;
  dossiers: number;
  dossiersSynced: number;
  syncRate: number | null;
  lastRefusal: { errorCode: string | null; message: string | null; at: string } | null;
}

interface TeeSenders {
  senders: SenderRow[];
  national: { dossiers: number; dossiersSynced: number; syncRate: number | null };
}

/** "87,5 %" (Vietnamese) or "87.5%": a rate for people. */
function percent(rate: number | null, lang: string): string {
  if (rate === null) {
    return '—';
  }
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(rate);
}

/** Per sender: calls the portal accepted, refused (with its message) and left unanswered; the sync rate. */
export function NationalSyncPage() {
  const t = useNationalSyncT();
  const { lang } = useContext(I18n);
  const [data, setData] = useState<TeeSenders | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    getJson<TeeSenders>('/api/tee/senders').then(setData, setError);
  }, []);

  return (
    <section>
      <h2>{t('title')}</h2>
      <p className="muted">{t('note')}</p>
      <ErrorBox error={error} />
      {data === null ? (
        error ? null : (
          <p className="muted">{t('loading')}</p>
        )
      ) : (
        <>
          <p data-testid="national-rate">
            <strong>
              {t('national', {
                synced: data.national.dossiersSynced,
                dossiers: data.national.dossiers,
                rate: percent(data.national.syncRate, lang),
              })}
            </strong>
          </p>
          {data.senders.length === 0 ? (
            <p className="muted">{t('none')}</p>
          ) : (
            <table data-testid="senders">
              <thead>
                <tr>
                  <th>{t('sender')}</th>
                  <th>{t('mode')}</th>
                  <th>{t('delivered')}</th>
                  <th>{t('refused')}</th>
                  <th>{t('unanswered')}</th>
                  <th>{t('rate')}</th>
                  <th>{t('lastRefusal')}</th>
                </tr>
              </thead>
              <tbody>
                {data.senders.map((s) => (
                  <tr key={s.sender} data-sender={s.sender}>
                    <td>
                      <strong>{s.sender}</strong>
                      <div className="muted">{s.style}</div>
                    </td>
                    <td>{s.mode === 'takeover' ? t('takeover') : t('transparent')}</td>
                    <td data-testid="delivered">{s.delivered}</td>
                    <td data-testid="refused">{s.refused}</td>
                    <td data-testid="unanswered">{s.unanswered}</td>
                    <td data-testid="rate">
                      {percent(s.syncRate, lang)}
                      <div className="muted">
                        {s.dossiersSynced}/{s.dossiers}
                      </div>
                    </td>
                    <td data-testid="last-refusal">
                      {s.lastRefusal ? (
                        <>
                          <code>{s.lastRefusal.errorCode ?? ''}</code> {s.lastRefusal.message ?? ''}
                          <div className="muted">{when(s.lastRefusal.at)}</div>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
