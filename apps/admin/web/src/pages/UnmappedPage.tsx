import { useContext, useEffect, useState } from 'react';
import { type Prefill, type StatusPrefill, type UnmappedCode, type UnmappedStatus, getJson } from '../api';
import { I18n, useT } from '../i18n';
import { ErrorBox, nationalStatusLabel, when } from './common';

type State = 'open' | 'pending' | 'all';

export function UnmappedPage({
  writer,
  onMap,
  onMapStatus,
}: {
  writer: boolean;
  onMap: (p: Prefill) => void;
  onMapStatus: (p: StatusPrefill) => void;
}) {
  const t = useT();
  const { lang } = useContext(I18n);
  const [state, setState] = useState<State>('open');
  const [list, setList] = useState<{ items: UnmappedCode[]; total: number } | null>(null);
  const [statuses, setStatuses] = useState<{ items: UnmappedStatus[]; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    getJson<{ items: UnmappedCode[]; total: number }>(`/api/mapping/unmapped?state=${state}&limit=200`).then(
      setList,
      setError,
    );
    getJson<{ items: UnmappedStatus[]; total: number }>(
      `/api/mapping/unmapped-statuses?state=${state}&limit=200`,
    ).then(setStatuses, setError);
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

      <h3>
        {t('unmappedStatusesTitle')} {statuses && <span className="muted">{statuses.total}</span>}
      </h3>
      <p className="muted">{t('unmappedStatusesNote')}</p>
      {statuses && statuses.items.length === 0 && <p>{t('emptyStatusQueue')}</p>}
      {statuses && statuses.items.length > 0 && (
        <table data-testid="unmapped-statuses">
          <thead>
            <tr>
              <th>{t('sourceSystem')}</th>
              <th>{t('vendorStatus')}</th>
              <th>{t('vendorSubStatus')}</th>
              <th>{t('occurrences')}</th>
              <th>{t('firstSeen')}</th>
              <th>{t('lastSeen')}</th>
              <th>{t('samples')}</th>
              <th>{t('affectedDossiers')}</th>
              <th>{t('draftMapping')}</th>
              {writer && <th>{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {statuses.items.map((u) => (
              <tr key={`${u.sourceSystem}/${u.status}/${u.subStatus}`}>
                <td>{u.sourceSystem}</td>
                <td>
                  <code>{u.status}</code>
                </td>
                <td>{u.subStatus ? <code>{u.subStatus}</code> : '—'}</td>
                <td>{u.occurrences}</td>
                <td>{when(u.firstSeenAt)}</td>
                <td>{when(u.lastSeenAt)}</td>
                <td>{u.sampleDossiers.join(', ')}</td>
                <td>{u.affectedDossiers}</td>
                <td>
                  {u.draft ? (
                    <>
                      {nationalStatusLabel(u.draft.nationalStatus, lang)} · {u.draft.milestone}
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
                        onMapStatus({
                          sourceSystem: u.sourceSystem,
                          status: u.status,
                          subStatus: u.subStatus,
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
