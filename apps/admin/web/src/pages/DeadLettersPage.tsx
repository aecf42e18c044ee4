import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { getJson, send } from '../api';
import {
  type DeadLetter,
  type DeadLetterState,
  type DeadLetterWithPayload,
  letterState,
} from '../console-api';
import { useConsoleT } from '../console-i18n';
import { ErrorBox, when } from './common';

const STATES: DeadLetterState[] = ['open', 'replayed', 'discarded', 'all'];

interface Filter {
  state: DeadLetterState;
  sourceSystem: string;
  reasonCode: string;
  dossierCode: string;
  from: string;
  to: string;
}

const EMPTY: Filter = { state: 'open', sourceSystem: '', reasonCode: '', dossierCode: '', from: '', to: '' };

/** `08/12/2026` as the API's `2026-12-08`; anything else goes as typed (the API names what is wrong). */
function isoDay(text: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  return m ? `${m[3]}-${m[2]?.padStart(2, '0')}-${m[1]?.padStart(2, '0')}` : text.trim();
}

function queryOf(f: Filter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f) as [keyof Filter, string][]) {
    if (v.trim() !== '') {
      q.set(k, k === 'from' || k === 'to' ? isoDay(v) : v.trim());
    }
  }
  return q.toString();
}

/** One dead letter: its context, its payload as kept (masked) and, for admins, replay or discard. */
function Letter({
  letter,
  admin,
  onChanged,
  onClose,
}: {
  letter: DeadLetterWithPayload;
  admin: boolean;
  onChanged: () => void;
  onClose: () => void;
}) {
  const t = useConsoleT();
  const [busy, setBusy] = useState(false);
  const [armed, setArmed] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const state = letterState(letter);

  const act = async (what: 'replay' | 'discard') => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const path = `/api/dead-letters/${encodeURIComponent(letter.id)}/${what}`;
      if (what === 'replay') {
        const r = await send<{ result?: { accepted?: number } }>('POST', path);
        setDone(t('replayed', { accepted: r.result?.accepted ?? '?' }));
      } else {
        await send('POST', path);
        setDone(t('discarded'));
      }
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setArmed(false);
    }
  };

  return (
    <section className="card" data-testid="dead-letter">
      <div className="row">
        <h3>
          #{letter.id} · <code>{letter.reasonCode}</code> · {t(`state.${state}`)}
        </h3>
        <button type="button" className="secondary" onClick={onClose}>
          {t('close')}
        </button>
      </div>
      <p>
        {letter.reason}
        {letter.field && (
          <>
            {' '}
            — {t('field')} <code>{letter.field}</code>
          </>
        )}
      </p>
      <p className="muted">
        {letter.sourceSystem} · {letter.protocol} · {letter.operation ?? '—'} · {t('lastSeen')}{' '}
        {when(letter.lastSeenAt)} · {t('occurrences')} {letter.occurrences}
        {letter.dossierCode && (
          <>
            {' '}
            · <a href={`/dossiers?code=${encodeURIComponent(letter.dossierCode)}`}>{letter.dossierCode}</a>
          </>
        )}
      </p>
      {letter.discardedAt && (
        <p className="muted">
          {t('discardedBy', { by: letter.discardedBy ?? '?', at: when(letter.discardedAt) })}
        </p>
      )}
      <h4>{t('payload')}</h4>
      <p className="muted" data-testid="masked-note">
        {t('maskedNote', { n: letter.payload.masked })}
      </p>
      <pre data-testid="payload">{letter.payload.text}</pre>
      {admin && state === 'open' && (
        <div className="row">
          <button type="button" disabled={busy} onClick={() => void act('replay')}>
            {t('replay')}
          </button>
          {armed ? (
            <button type="button" className="danger" disabled={busy} onClick={() => void act('discard')}>
              {t('confirmDiscard')}
            </button>
          ) : (
            <button type="button" className="danger" disabled={busy} onClick={() => setArmed(true)}>
              {t('discard')}
            </button>
          )}
        </div>
      )}
      {done && (
        <div className="msg ok" data-testid="dead-letter-done">
          {done}
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

/** Dead letters through the admin's /api/dead-letters: list, filter, read masked, replay or discard. */
export function DeadLettersPage({ admin }: { admin: boolean }) {
  const t = useConsoleT();
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [items, setItems] = useState<DeadLetter[] | null>(null);
  const [letter, setLetter] = useState<DeadLetterWithPayload | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback((f: Filter) => {
    setError(null);
    getJson<{ items: DeadLetter[] }>(`/api/dead-letters?${queryOf(f)}`).then(
      (r) => setItems(r.items),
      (err: unknown) => {
        setItems(null);
        setError(err);
      },
    );
  }, []);

  const open = useCallback((id: string) => {
    setError(null);
    getJson<DeadLetterWithPayload>(`/api/dead-letters/${encodeURIComponent(id)}`).then(setLetter, setError);
  }, []);

  useEffect(() => {
    load(EMPTY);
    const id = new URLSearchParams(location.search).get('id');
    if (id) {
      open(id);
    }
  }, [load, open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    load(filter);
  };
  const field = (name: keyof Filter, placeholder?: string) => (
    <label>
      {t(name)}{' '}
      <input
        name={`dl-${name}`}
        placeholder={placeholder}
        size={placeholder ? 10 : undefined}
        value={filter[name]}
        onChange={(e) => setFilter({ ...filter, [name]: e.target.value })}
      />
    </label>
  );

  return (
    <>
      <h2>{t('deadLettersTitle')}</h2>
      <p className="muted">{t('deadLettersNote')}</p>
      <form className="row" onSubmit={submit} data-testid="dead-letter-filter">
        <label>
          {t('state')}{' '}
          <select
            name="dl-state"
            value={filter.state}
            onChange={(e) => setFilter({ ...filter, state: e.target.value as DeadLetterState })}
          >
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {field('sourceSystem')}
        {field('reasonCode')}
        {field('dossierCode')}
        {field('from', 'dd/mm/yyyy')}
        {field('to', 'dd/mm/yyyy')}
        <button type="submit">{t('filter')}</button>
      </form>
      <ErrorBox error={error} />
      {letter && (
        <Letter
          key={letter.id}
          letter={letter}
          admin={admin}
          onClose={() => setLetter(null)}
          onChanged={() => {
            load(filter);
            open(letter.id);
          }}
        />
      )}
      {items && items.length === 0 && <p className="muted">{t('noDeadLetters')}</p>}
      {items && items.length > 0 && (
        <table data-testid="dead-letters">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('lastSeen')}</th>
              <th>{t('sourceSystem')}</th>
              <th>{t('reason')}</th>
              <th>{t('dossierCode')}</th>
              <th>{t('occurrences')}</th>
              <th>{t('state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-letter={d.id}>
                <td>{d.id}</td>
                <td>{when(d.lastSeenAt)}</td>
                <td>
                  {d.sourceSystem}
                  <div className="muted">{d.operation ?? ''}</div>
                </td>
                <td>
                  <code>{d.reasonCode}</code> {d.reason}
                </td>
                <td>{d.dossierCode ?? '—'}</td>
                <td>{d.occurrences}</td>
                <td>{t(`state.${letterState(d)}`)}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => open(d.id)}>
                    {t('open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
