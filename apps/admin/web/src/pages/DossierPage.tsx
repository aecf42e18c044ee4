import { type FormEvent, useCallback, useContext, useEffect, useState } from 'react';
import { getJson } from '../api';
import {
  type DossierEvent,
  type DossierHit,
  type DossierView,
  type StepTiming,
  letterState,
} from '../console-api';
import { type ConsoleKey, useConsoleT } from '../console-i18n';
import { I18n } from '../i18n';
import { ErrorBox, milestoneLabel, nationalStatusLabel, when } from './common';

const DATE_FIELDS = [
  'submittedAt',
  'receivedAt',
  'dueAt',
  'previousDueAt',
  'processingEndedAt',
  'returnedAt',
] as const;

/** `?code=` in the address opens that dossier (links from the dead-letter page). */
function codeInAddress(): string | null {
  return new URLSearchParams(location.search).get('code');
}

function unit(u: { code: string | null; name: string | null } | null | undefined): string {
  if (!u) {
    return '—';
  }
  return [u.name, u.code ? `(${u.code})` : null].filter(Boolean).join(' ') || '—';
}

function EventRow({ e }: { e: DossierEvent }) {
  const t = useConsoleT();
  const { lang } = useContext(I18n);
  const h = e.data.handover;
  const person = (p: { name: string | null; role?: string } | null | undefined) =>
    p?.role === 'applicant' ? t('applicantActor') : (p?.name ?? null);
  const step = h
    ? [
        [h.stepFrom, h.stepTo].filter(Boolean).join(' → '),
        h.unitTo?.name ?? null,
        person(h.userTo) ?? person(h.userFrom),
        h.action,
      ]
        .filter(Boolean)
        .join(' · ')
    : '';
  return (
    <tr data-sequence={e.sequence}>
      <td>{e.sequence}</td>
      <td>{when(e.occurredAt)}</td>
      <td>
        <strong>{milestoneLabel(e.data.milestone, lang)}</strong>
      </td>
      <td>{nationalStatusLabel(e.data.status?.national, lang)}</td>
      <td>{step || '—'}</td>
      <td>{when(h?.stepDeadline)}</td>
      <td>
        {e.data.source?.system}
        <div className="muted">
          {e.data.source?.protocol}
          {e.data.source?.operation ? ` · ${e.data.source.operation}` : ''}
        </div>
      </td>
      <td className="muted">{when(e.recordedAt)}</td>
    </tr>
  );
}

const OUTCOME_BADGE: Record<string, string> = {
  early: 'up',
  on_time: 'up',
  late: 'down',
  undetermined: 'warn',
};

/** The dossier's step instances: the control sheet with deadlines and verdicts (ISO time). */
function Steps({ steps, verdict }: { steps: StepTiming[]; verdict: DossierView['verdict'] }) {
  const t = useConsoleT();
  const outcome = (o: string | null | undefined) =>
    o ? (
      <span className={`badge ${OUTCOME_BADGE[o] ?? ''}`}>
        {['early', 'on_time', 'late', 'undetermined'].includes(o) ? t(`outcome.${o}` as ConsoleKey) : o}
      </span>
    ) : (
      '—'
    );
  return (
    <>
      <h3>{t('steps', { n: steps.length })}</h3>
      {verdict?.outcome && (
        <p data-testid="dossier-verdict">
          {t('dossierVerdict')}: {outcome(verdict.outcome)}
        </p>
      )}
      {steps.length === 0 ? (
        <p className="muted">{t('noSteps')}</p>
      ) : (
        <table data-testid="dossier-steps">
          <thead>
            <tr>
              <th>{t('instance')}</th>
              <th>{t('step')}</th>
              <th>{t('startedAt')}</th>
              <th>{t('allowance')}</th>
              <th>{t('deadline')}</th>
              <th>{t('endedAt')}</th>
              <th>{t('elapsed')}</th>
              <th>{t('verdict')}</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr key={s.instance}>
                <td>{s.instance}</td>
                <td>
                  {s.isoStep ? `${s.isoStep.stepNo}. ${s.isoStep.name}` : (s.step ?? '—')}
                  {s.isoStep && s.step && <div className="muted">{s.step}</div>}
                </td>
                <td>{when(s.startedAt)}</td>
                <td>{s.allowanceHours === null ? '—' : t('hours', { n: s.allowanceHours })}</td>
                <td>
                  {when(s.deadline)}
                  <div className="muted">
                    {t(`source.${s.deadlineSource}` as ConsoleKey)}
                    {s.calendarStatus === 'provisional' ? ` · ${t('provisional')}` : ''}
                  </div>
                  {s.senderDeadline && s.deadlineSource !== 'sender' && (
                    <div className="muted">
                      {t('senderDeadline')}: {when(s.senderDeadline)}
                    </div>
                  )}
                </td>
                <td>{when(s.endedAt)}</td>
                <td>{s.elapsedWorkingHours === null ? '—' : t('hours', { n: s.elapsedWorkingHours })}</td>
                <td>{outcome(s.outcome)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Dossier({ view }: { view: DossierView }) {
  const t = useConsoleT();
  const { lang } = useContext(I18n);
  const s = view.state;
  return (
    <section data-testid="dossier">
      <h3>
        {t('dossierCode')}: <code>{view.dossierCode}</code>
      </h3>
      {s ? (
        <table className="card" data-testid="dossier-state">
          <tbody>
            <tr>
              <th>{t('status')}</th>
              <td>
                <span className="badge up">{nationalStatusLabel(s.status?.national, lang)}</span>{' '}
                <span className="muted">{when(s.statusAt)}</span>
              </td>
            </tr>
            <tr>
              <th>{t('procedure')}</th>
              <td>
                {s.procedure?.nationalCode ?? s.procedure?.localCode ?? '—'} {s.procedure?.name ?? ''}
                {s.procedure?.mappingStatus === 'unmapped' && (
                  <span className="badge warn"> {t('unmappedProcedure')}</span>
                )}
              </td>
            </tr>
            <tr>
              <th>{t('receivingUnit')}</th>
              <td>{unit(s.receivingUnit)}</td>
            </tr>
            <tr>
              <th>{t('processingUnit')}</th>
              <td>{unit(s.processingUnit)}</td>
            </tr>
            <tr>
              <th>{t('currentStep')}</th>
              <td>{s.currentStep ?? '—'}</td>
            </tr>
            <tr>
              <th>{t('channel')}</th>
              <td>{s.channel ? t(`channel.${s.channel}` as ConsoleKey) : '—'}</td>
            </tr>
            {DATE_FIELDS.filter((f) => s.dates?.[f]).map((f) => (
              <tr key={f}>
                <th>{t(f)}</th>
                <td>{when(s.dates[f])}</td>
              </tr>
            ))}
            <tr>
              <th>{t('supplements')}</th>
              <td>{s.supplementRequests ?? 0}</td>
            </tr>
            <tr>
              <th>{t('extensions')}</th>
              <td>{s.extensions ?? 0}</td>
            </tr>
            <tr>
              <th>{t('sender')}</th>
              <td>
                {s.source?.system} {s.source?.agency ? `(${s.source.agency})` : ''}
              </td>
            </tr>
            <tr>
              <th>{t('updatedAt')}</th>
              <td>{when(view.updatedAt)}</td>
            </tr>
          </tbody>
        </table>
      ) : (
        <p className="msg err">{t('onlyDeadLetters')}</p>
      )}

      <h3>{t('events', { n: view.events.length })}</h3>
      {view.events.length === 0 ? (
        <p className="muted">{t('noEvents')}</p>
      ) : (
        <table data-testid="dossier-events">
          <thead>
            <tr>
              <th>{t('seq')}</th>
              <th>{t('occurredAt')}</th>
              <th>{t('milestone')}</th>
              <th>{t('status')}</th>
              <th>{t('step')}</th>
              <th>{t('stepDeadline')}</th>
              <th>{t('source')}</th>
              <th>{t('recordedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {view.events.map((e) => (
              <EventRow key={e.eventId} e={e} />
            ))}
          </tbody>
        </table>
      )}

      <Steps steps={view.steps} verdict={view.verdict} />

      <h3>{t('publication')}</h3>
      <p data-testid="dossier-publication">
        {t('publicationLine', {
          published: view.publication.published,
          waiting: view.publication.waiting,
          held: view.publication.held,
        })}
        {view.publication.heldKeys.length > 0 && (
          <span className="msg err"> {t('heldFor', { keys: view.publication.heldKeys.join(', ') })}</span>
        )}
      </p>

      <h3>{t('forwards', { n: view.forwards.length })}</h3>
      {view.forwards.length === 0 ? (
        <p className="muted">{t('noForwards')}</p>
      ) : (
        <table data-testid="dossier-forwards">
          <thead>
            <tr>
              <th>{t('createdAt')}</th>
              <th>{t('sender')}</th>
              <th>{t('operation')}</th>
              <th>{t('status')}</th>
              <th>{t('attempts')}</th>
              <th>{t('answer')}</th>
            </tr>
          </thead>
          <tbody>
            {view.forwards.map((f) => (
              <tr key={f.id}>
                <td>{when(f.createdAt)}</td>
                <td>
                  {f.sender} <span className="muted">({f.style})</span>
                </td>
                <td>{f.operation}</td>
                <td>
                  <span
                    className={`badge ${f.status === 'done' ? 'up' : f.status === 'failed' ? 'down' : 'warn'}`}
                  >
                    {['pending', 'done', 'failed'].includes(f.status)
                      ? t(`forward.${f.status}` as ConsoleKey)
                      : f.status}
                  </span>
                  {f.doneAt && <div className="muted">{when(f.doneAt)}</div>}
                </td>
                <td>{f.attempts}</td>
                <td>
                  {f.lastError && <div className="muted">{f.lastError}</div>}
                  {f.portalAnswer !== null && f.portalAnswer !== undefined && (
                    <code>{JSON.stringify(f.portalAnswer)}</code>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('answers', { n: view.upstreamAnswers.length })}</h3>
      {view.upstreamAnswers.length === 0 ? (
        <p className="muted">{t('noAnswers')}</p>
      ) : (
        <table data-testid="dossier-answers">
          <thead>
            <tr>
              <th>{t('occurredAt')}</th>
              <th>{t('sender')}</th>
              <th>{t('operation')}</th>
              <th>{t('outcome')}</th>
              <th>{t('answer')}</th>
            </tr>
          </thead>
          <tbody>
            {view.upstreamAnswers.map((a) => (
              <tr key={a.id}>
                <td>{when(a.receivedAt)}</td>
                <td>{a.sender}</td>
                <td>{a.operation}</td>
                <td>
                  <span className={`badge ${a.outcome === 'delivered' ? 'up' : 'down'}`}>
                    {['delivered', 'refused', 'unanswered'].includes(a.outcome)
                      ? t(`outcome.${a.outcome}` as ConsoleKey)
                      : a.outcome}
                  </span>
                </td>
                <td>
                  {a.httpStatus !== null && <span className="muted">HTTP {a.httpStatus} </span>}
                  {a.errorCode !== null && <code>{a.errorCode}</code>} {a.message ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('dossierDeadLetters', { n: view.deadLetters.length })}</h3>
      {view.deadLetters.length === 0 ? (
        <p className="muted">{t('noDossierDeadLetters')}</p>
      ) : (
        <table data-testid="dossier-dead-letters">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('lastSeen')}</th>
              <th>{t('sender')}</th>
              <th>{t('reason')}</th>
              <th>{t('occurrences')}</th>
              <th>{t('state')}</th>
            </tr>
          </thead>
          <tbody>
            {view.deadLetters.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`/dead-letters?id=${encodeURIComponent(d.id)}`}>{d.id}</a>
                </td>
                <td>{when(d.lastSeenAt)}</td>
                <td>
                  {d.sourceSystem}
                  <div className="muted">{d.operation ?? ''}</div>
                </td>
                <td>
                  <code>{d.reasonCode}</code> {d.reason}
                  {d.field && <div className="muted">{d.field}</div>}
                </td>
                <td>{d.occurrences}</td>
                <td>{t(`state.${letterState(d)}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Find a dossier by (part of) its code and see what isohub knows of it. */
export function DossierPage() {
  const t = useConsoleT();
  const { lang } = useContext(I18n);
  const [q, setQ] = useState(codeInAddress() ?? '');
  const [hits, setHits] = useState<DossierHit[] | null>(null);
  const [view, setView] = useState<DossierView | null>(null);
  const [error, setError] = useState<unknown>(null);

  const open = useCallback((code: string) => {
    setError(null);
    getJson<DossierView>(`/api/dossiers/${encodeURIComponent(code)}`).then((v) => {
      setView(v);
      history.replaceState(null, '', `/dossiers?code=${encodeURIComponent(code)}`);
    }, setError);
  }, []);

  const find = useCallback(
    (part: string) => {
      setError(null);
      setView(null);
      getJson<{ items: DossierHit[] }>(`/api/dossiers?q=${encodeURIComponent(part)}`).then((r) => {
        setHits(r.items);
        const exact = r.items.find((h) => h.dossierCode === part);
        if (exact || r.items.length === 1) {
          open((exact ?? r.items[0])?.dossierCode ?? part);
        }
      }, setError);
    },
    [open],
  );

  useEffect(() => {
    const code = codeInAddress();
    if (code) {
      find(code);
    }
  }, [find]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    find(q.trim());
  };

  return (
    <>
      <h2>{t('dossiersTitle')}</h2>
      <p className="muted">{t('dossiersNote')}</p>
      <form className="row" onSubmit={submit} data-testid="dossier-search">
        <label>
          {t('dossierQuery')}{' '}
          <input
            name="dossier-q"
            value={q}
            size={40}
            placeholder={t('dossierQueryPlaceholder')}
            onChange={(e) => setQ(e.target.value)}
          />
        </label>
        <button type="submit">{t('search')}</button>
      </form>
      <ErrorBox error={error} />
      {hits && hits.length === 0 && <p className="muted">{t('noDossiers')}</p>}
      {hits && hits.length > 0 && (
        <table data-testid="dossier-results">
          <thead>
            <tr>
              <th>{t('dossierCode')}</th>
              <th>{t('status')}</th>
              <th>{t('procedure')}</th>
              <th>{t('sender')}</th>
              <th>{t('updatedAt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {hits.map((h) => (
              <tr key={h.dossierCode} className={view?.dossierCode === h.dossierCode ? 'active' : ''}>
                <td>
                  <code>{h.dossierCode}</code>
                </td>
                <td>
                  {h.onlyDeadLetters ? (
                    <span className="badge warn">{t('onlyDeadLetters')}</span>
                  ) : (
                    nationalStatusLabel(h.nationalStatus, lang)
                  )}
                </td>
                <td>
                  {h.procedureCode ?? '—'} <span className="muted">{h.procedureName ?? ''}</span>
                </td>
                <td>
                  {h.sourceSystem ?? '—'} {h.agency ? <span className="muted">({h.agency})</span> : null}
                </td>
                <td>{when(h.updatedAt)}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => open(h.dossierCode)}>
                    {t('open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view && <Dossier view={view} />}
    </>
  );
}
