import { useCallback, useEffect, useState } from 'react';
import { type AuditEntry, type AuditVerification, getJson } from '../api';
import { useT } from '../i18n';
import { ErrorBox, Json, when } from './common';

export function AuditPage() {
  const t = useT();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (beforeId?: number) => {
    try {
      const page = await getJson<AuditEntry[]>(
        `/api/audit?limit=50${beforeId === undefined ? '' : `&beforeId=${beforeId}`}`,
      );
      setEntries((old) => (beforeId === undefined ? page : [...old, ...page]));
      setMore(page.length === 50);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const verify = async () => {
    setError(null);
    try {
      setVerification(await getJson<AuditVerification>('/api/audit/verify'));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <h2>{t('nav.audit')}</h2>
      <p className="muted">{t('auditTitle')}</p>
      <div className="row">
        <button type="button" data-testid="verify" onClick={() => void verify()}>
          {t('verify')}
        </button>
      </div>
      {verification && (
        <div className={`msg ${verification.ok ? 'ok' : 'err'}`} data-testid="verification">
          {verification.ok
            ? t('chainOk', { n: verification.checked })
            : t('chainBroken', {
                id: verification.firstBroken?.id ?? '?',
                reason: verification.firstBroken?.reason ?? '?',
                n: verification.checked,
              })}
        </div>
      )}
      <ErrorBox error={error} />
      <table data-testid="audit">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('at')}</th>
            <th>{t('actor')}</th>
            <th>{t('action')}</th>
            <th>{t('entity')}</th>
            <th>{t('before')}</th>
            <th>{t('after')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{e.id}</td>
              <td>{when(e.at)}</td>
              <td>{e.actor}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>
                {e.entityType}
                <br />
                <code>{e.entityId}</code>
              </td>
              <td>
                <Json value={e.before} />
              </td>
              <td>
                <Json value={e.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && (
        <button
          type="button"
          className="secondary"
          onClick={() => void load(entries[entries.length - 1]?.id)}
        >
          {t('more')}
        </button>
      )}
    </>
  );
}
