import { useEffect, useState } from 'react';
import { type Prefill, type UnmappedCode, getJson } from '../api';
import { useT } from '../i18n';
import { ErrorBox, when } from './common';

type State = 'open' | 'pending' | 'all';

export function UnmappedPage({ writer, onMap }: { writer: boolean; onMap: (p: Prefill) => void }) {
  const t = useT();
  const [state, setState] = useState<State>('open');
  const [list, setList] = useState<{ items: UnmappedCode[]; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    getJson<{ items: UnmappedCode[]; total: number }>(`/api/mapping/unmapped?state=${state}&limit=200`).then(
      setList,
      setError,
    );
  }, [state]);

  return (
    <>
      <h2>{t('nav.unmapped')}</h2>
      <div className="row">
        <label>
          {t('state')}
          <select value={state} onChange={(e) => setState(e.target.value as State)}>
            <option value="open">{t('stateOpen')}</option>
            <option value="pending">{t('statePending')}</option>
            <option value="all">{t('stateAll')}</option>
          </select>
        </label>
        {list && <span className="muted">{list.total}</span>}
      </div>
      <ErrorBox error={error} />
      {list && list.items.length === 0 && <p>{t('emptyQueue')}</p>}
      {list && list.items.length > 0 && (
        <table data-testid="unmapped">
          <thead>
            <tr>
              <th>{t('sourceSystem')}</th>
              <th>{t('localCode')}</th>
              <th>{t('occurrences')}</th>
              <th>{t('firstSeen')}</th>
              <th>{t('lastSeen')}</th>
              <th>{t('samples')}</th>
              <th>{t('suggestion')}</th>
              {writer && <th>{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {list.items.map((u) => (
              <tr key={`${u.sourceSystem}/${u.code}`}>
                <td>{u.sourceSystem}</td>
                <td>
                  <code>{u.code}</code>
                </td>
                <td>{u.occurrences}</td>
                <td>{when(u.firstSeenAt)}</td>
                <td>{when(u.lastSeenAt)}</td>
                <td>{u.sampleDossiers.join(', ')}</td>
                <td>
                  {u.draftNationalCode ? (
                    <code>{u.draftNationalCode}</code>
                  ) : u.suggestion ? (
                    <>
                      <code>{u.suggestion.nationalCode}</code> {u.suggestion.name}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                {writer && (
                  <td>
                    <button
                      type="button"
                      onClick={() =>
                        onMap({
                          sourceSystem: u.sourceSystem,
                          localCode: u.code,
                          nationalCode: u.draftNationalCode ?? u.suggestion?.nationalCode ?? '',
                        })
                      }
                    >
                      {t('map')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
