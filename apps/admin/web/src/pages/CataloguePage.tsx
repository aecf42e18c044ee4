import { type FormEvent, type ReactNode, useState } from 'react';
import { type Procedure, getJson } from '../api';
import { matchRanges } from '../fold';
import { useT } from '../i18n';
import { CatalogueRefresh, CatalogueVersions, UnparsedTimes } from './CatalogueAdmin';
import { ErrorBox } from './common';

/** The name with the query's words marked, matched accent-insensitively. */
export function Highlight({ text, query }: { text: string; query: string }) {
  const nfc = text.normalize('NFC');
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of matchRanges(nfc, query)) {
    parts.push(nfc.slice(at, start), <mark key={start}>{nfc.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(nfc.slice(at));
  return <>{parts}</>;
}

export function CataloguePage({ admin }: { admin: boolean }) {
  const t = useT();
  const [reloadKey, setReloadKey] = useState(0);
  const [q, setQ] = useState('');
  const [result, setResult] = useState<{
    q: string;
    items: Procedure[];
    total: number;
    tookMs: number;
  } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await getJson<{ items: Procedure[]; total: number; tookMs: number }>(
        `/api/catalogue/procedures?limit=50&q=${encodeURIComponent(q)}`,
      );
      setResult({ q, ...r });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2>{t('nav.catalogue')}</h2>
      <section className="card">
        <form className="row" onSubmit={(e) => void search(e)}>
          <input
            type="search"
            name="q"
            value={q}
            placeholder={t('searchPlaceholder')}
            onChange={(e) => setQ(e.target.value)}
            autoFocus
          />
          <button type="submit" disabled={busy}>
            {t('search')}
          </button>
        </form>
      </section>
      <ErrorBox error={error} />
      {result && (
        <>
          <p className="muted" data-testid="result-count">
            {t('results', { n: result.total, ms: result.tookMs })}
          </p>
          {result.items.length === 0 ? (
            <p>{t('noResults')}</p>
          ) : (
            <table className="catalogue" data-testid="catalogue-results">
              <thead>
                <tr>
                  <th>{t('code')}</th>
                  <th>{t('name')}</th>
                  <th>{t('field')}</th>
                  <th>{t('times')}</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((p) => (
                  <tr key={p.code}>
                    <td>
                      <code>{p.code}</code>
                    </td>
                    <td>
                      <Highlight text={p.name} query={result.q} />
                    </td>
                    <td>{p.field ?? '—'}</td>
                    <td className="times">
                      {(
                        [
                          ['inPerson', p.time_in_person],
                          ['online', p.time_online],
                          ['postal', p.time_postal],
                        ] as const
                      )
                        .filter(([, v]) => v)
                        .map(([k, v]) => (
                          <div key={k}>
                            <span className="muted">{t(k)}:</span> {v}
                          </div>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {admin && <CatalogueRefresh onApplied={() => setReloadKey((k) => k + 1)} />}
      <CatalogueVersions reloadKey={reloadKey} />
      <UnparsedTimes />
    </>
  );
}
