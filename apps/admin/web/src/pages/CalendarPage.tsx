import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { getJson, send } from '../api';
import { type CalendarTranslate, useCalendarT } from '../calendar-i18n';
import { ErrorBox, when } from './common';

type Status = 'official' | 'provisional';
type Kind = 'regular' | 'day_off' | 'make_up' | 'half_day';
interface Window {
  from: string;
  to: string;
}
interface DayInfo {
  date: string;
  weekday: string;
  kind: Kind;
  working: boolean;
  windows: Window[];
  name?: string;
  source?: string;
  note?: string;
  replaces?: string;
  status: Status;
  decidedBy: string;
}
interface CalendarDay {
  date: string;
  kind: Exclude<Kind, 'regular'>;
  name: string;
  source: string;
  status: Status;
  note?: string;
  windows?: Window[];
  replaces?: string;
}
interface YearRecord {
  year: number;
  status: Status;
  sources: string[];
  note?: string;
  days: CalendarDay[];
}
interface YearView {
  version: string;
  calendarVersion: string;
  scope: string;
  year: number;
  info: { status: Status; basis: 'published' | 'skeleton'; missing: string[] };
  record: YearRecord | null;
  weekly: Partial<Record<string, Window[]>>;
  days: DayInfo[];
}
interface Overview {
  current: string | null;
  versions: { version: string; publishedAt: string; publishedBy: string; note: string | null }[];
  layers: {
    scope: string;
    level: 'national' | 'province' | 'agency';
    years: { year: number; status: Status }[];
  }[];
  changes: { against: string | null; added: string[]; changed: string[]; removed: string[] };
  alerts: { year: number; status: Status; basis: string }[];
}
interface ImportAnswer {
  dryRun: boolean;
  rows: number;
  errors: { field: string; message: string }[];
  plan: {
    added: CalendarDay[];
    changed: { date: string }[];
    removed: CalendarDay[];
    unchanged: number;
    diffHash: string;
  } | null;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const COLORS: Record<string, string> = {
  regular: '#ffffff',
  rest: '#e8e8e8',
  day_off: '#f6b8b8',
  make_up: '#b9e6b9',
  half_day: '#fbe3a6',
};
const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
/** `dd/mm/yyyy` (as people write it) to `yyyy-mm-dd`; anything else is sent as typed for the API to refuse. */
const isoDate = (text: string) => {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  const [, d = '', mo = '', y = ''] = m ?? [];
  return m ? `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}` : text.trim();
};
const windowsText = (w: Window[] | undefined) => (w ?? []).map((x) => `${x.from}-${x.to}`).join(' ');
const readWindows = (text: string): Window[] =>
  text
    .split(/[\s;,]+/)
    .filter((p) => p !== '')
    .map((p) => {
      const [from = '', to = ''] = p.split(/[-–]/);
      return { from: from.padStart(5, '0'), to: to.padStart(5, '0') };
    });
const colorOf = (d: DayInfo) =>
  d.kind === 'regular' ? (d.working ? COLORS.regular : COLORS.rest) : COLORS[d.kind];
const scopeTitle = (t: CalendarTranslate, scope: string) =>
  scope === 'national'
    ? t('national')
    : scope.startsWith('province:')
      ? t('province', { code: scope.slice(9) })
      : t('agency', { code: scope.slice(7) });
const scopeParam = (level: string, label: string) =>
  level === 'national' ? 'national' : `${level}:${label}`;

function Month({ days, month, t }: { days: DayInfo[]; month: number; t: CalendarTranslate }) {
  const inMonth = days.filter((d) => Number(d.date.slice(5, 7)) === month);
  const lead = WEEKDAYS.indexOf(inMonth[0]?.weekday ?? 'mon');
  const cells: (DayInfo | null)[] = [...Array<null>(lead).fill(null), ...inMonth];
  const weeks: (DayInfo | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) {
    weeks.push(cells.slice(i, i + 7));
  }
  return (
    <div style={{ display: 'inline-block', verticalAlign: 'top', margin: '0 12px 12px 0' }}>
      <strong>{t('month', { m: month })}</strong>
      <table style={{ width: 'auto', fontSize: '0.8rem' }}>
        <thead>
          <tr>
            {t('wd')
              .split(',')
              .map((w) => (
                <th key={w} style={{ padding: '1px 4px' }}>
                  {w}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, i) => (
            <tr key={i}>
              {week.map((d, j) =>
                d ? (
                  <td
                    key={j}
                    data-date={d.date}
                    data-kind={d.kind === 'regular' ? (d.working ? 'regular' : 'rest') : d.kind}
                    title={[d.name, d.source, d.status === 'provisional' ? t('provisional') : '']
                      .filter(Boolean)
                      .join(' — ')}
                    style={{
                      padding: '1px 4px',
                      textAlign: 'right',
                      background: colorOf(d),
                      fontStyle: d.status === 'provisional' && d.kind !== 'regular' ? 'italic' : undefined,
                    }}
                  >
                    {Number(d.date.slice(8, 10))}
                  </td>
                ) : (
                  <td key={j} />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CalendarPage({ admin }: { admin: boolean }) {
  const t = useCalendarT();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [scope, setScope] = useState('national');
  const [year, setYear] = useState(() => Number(new Date().toISOString().slice(0, 4)));
  const [version, setVersion] = useState('draft');
  const [view, setView] = useState<YearView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [newScope, setNewScope] = useState('');
  const [yearForm, setYearForm] = useState({ status: 'official' as Status, sources: '', note: '' });
  const [dayForm, setDayForm] = useState({
    date: '',
    kind: 'day_off' as CalendarDay['kind'],
    name: '',
    source: '',
    status: 'official' as Status,
    windows: '',
    replaces: '',
  });
  const [weeklyForm, setWeeklyForm] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const [importStatus, setImportStatus] = useState<Status>('official');
  const [importSource, setImportSource] = useState('');
  const [plan, setPlan] = useState<ImportAnswer | null>(null);
  const [publishNote, setPublishNote] = useState('');

  const load = useCallback(async () => {
    try {
      const [o, v] = await Promise.all([
        getJson<Overview>('/api/calendar/overview'),
        getJson<YearView>(
          `/api/calendar/year?scope=${encodeURIComponent(scope)}&year=${year}&version=${encodeURIComponent(version)}`,
        ),
      ]);
      setOverview(o);
      setView(v);
      setYearForm({
        status: v.record?.status ?? 'provisional',
        sources: (v.record?.sources ?? []).join('\n'),
        note: v.record?.note ?? '',
      });
      setWeeklyForm(
        Object.fromEntries(WEEKDAYS.map((w) => [w, v.weekly[w] ? windowsText(v.weekly[w]) || '-' : ''])),
      );
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [scope, year, version]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage(done);
      setError(null);
      await load();
    } catch (e) {
      setError(e);
      setMessage(null);
    }
  };

  const saveYear = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () =>
        send('PUT', `/api/calendar/years/${encodeURIComponent(scope)}/${year}`, {
          status: yearForm.status,
          sources: yearForm.sources.split('\n').filter((s) => s.trim() !== ''),
          note: yearForm.note,
        }),
      t('saved'),
    );
  };
  const saveDay = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () =>
        send('PUT', `/api/calendar/days/${encodeURIComponent(scope)}/${isoDate(dayForm.date)}`, {
          kind: dayForm.kind,
          name: dayForm.name,
          source: dayForm.source,
          status: dayForm.status,
          windows: dayForm.windows ? readWindows(dayForm.windows) : [],
          replaces: dayForm.replaces ? isoDate(dayForm.replaces) : '',
        }),
      t('saved'),
    );
  };
  const saveWeekly = (e: FormEvent) => {
    e.preventDefault();
    const weekly = Object.fromEntries(
      Object.entries(weeklyForm)
        .filter(([, text]) => text.trim() !== '')
        .map(([w, text]) => [w, text.trim() === '-' ? [] : readWindows(text)]),
    );
    void act(() => send('PUT', `/api/calendar/weekly/${encodeURIComponent(scope)}`, weekly), t('saved'));
  };
  const runImport = async (dryRun: boolean) => {
    if (!file) {
      return;
    }
    const form = new FormData();
    form.append('file', file);
    const q = new URLSearchParams({
      scope,
      year: String(year),
      status: importStatus,
      dryRun: String(dryRun),
    });
    if (importSource) {
      q.set('source', importSource);
    }
    if (!dryRun && plan?.plan) {
      q.set('expectedDiffHash', plan.plan.diffHash);
    }
    try {
      const answer = await send<ImportAnswer>('POST', `/api/calendar/imports?${q.toString()}`, form);
      setPlan(dryRun ? answer : null);
      setMessage(dryRun ? null : t('applied'));
      setError(null);
      if (!dryRun) {
        await load();
      }
    } catch (e) {
      setError(e);
    }
  };
  const publish = (e: FormEvent) => {
    e.preventDefault();
    void (async () => {
      try {
        const r = await send<{ version: string }>('POST', '/api/calendar/publish', { note: publishNote });
        setPublishNote('');
        setMessage(t('publishedAs', { v: r.version }));
        setError(null);
        await load();
      } catch (err) {
        setError(err);
      }
    })();
  };

  const editable = admin && version === 'draft';
  /** The hours a weekday has in this view (its first regular day), whichever layer set them. */
  const effective = (weekday: string) =>
    windowsText(view?.days.find((d) => d.weekday === weekday && d.kind === 'regular')?.windows) || '—';
  const special = (view?.days ?? []).filter((d) => d.kind !== 'regular');
  const changes = overview?.changes;
  const changeCount = changes ? changes.added.length + changes.changed.length + changes.removed.length : 0;

  return (
    <section data-testid="calendar-page">
      <h2>{t('title')}</h2>
      <p className="muted">{t('note')}</p>
      {overview && overview.alerts.length > 0 && (
        <div className="msg err" role="alert" data-testid="calendar-alert">
          {t('alert', { years: overview.alerts.map((a) => a.year).join(', ') })}
        </div>
      )}
      {!admin && <p className="msg info">{t('readOnly')}</p>}
      <ErrorBox error={error} />
      {message && (
        <div className="msg ok" data-testid="calendar-message">
          {message}
        </div>
      )}

      <div className="row">
        <label>
          {t('scope')}{' '}
          <select data-testid="calendar-scope" value={scope} onChange={(e) => setScope(e.target.value)}>
            {!overview?.layers.some((l) => l.level === 'national') && (
              <option value="national">{t('national')}</option>
            )}
            {(overview?.layers ?? []).map((l) => {
              const value = scopeParam(l.level, l.scope);
              return (
                <option key={value} value={value}>
                  {scopeTitle(t, value)}
                </option>
              );
            })}
            {scope !== 'national' &&
              !overview?.layers.some((l) => scopeParam(l.level, l.scope) === scope) && (
                <option value={scope}>{scopeTitle(t, scope)}</option>
              )}
          </select>
        </label>
        <span>
          {t('year')}{' '}
          <button type="button" className="secondary" onClick={() => setYear(year - 1)}>
            ‹
          </button>{' '}
          <strong data-testid="calendar-year">{year}</strong>{' '}
          <button type="button" className="secondary" onClick={() => setYear(year + 1)}>
            ›
          </button>
        </span>
        <label>
          {t('version')}{' '}
          <select data-testid="calendar-version" value={version} onChange={(e) => setVersion(e.target.value)}>
            <option value="draft">{t('draft')}</option>
            {overview?.current && <option value="current">{t('current', { v: overview.current })}</option>}
          </select>
        </label>
        {admin && (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (/^(province|agency):[A-Za-z0-9._-]+$/.test(newScope.trim())) {
                setScope(newScope.trim());
                setNewScope('');
              }
            }}
          >
            <input
              data-testid="calendar-new-scope"
              placeholder={t('addScopePlaceholder')}
              aria-label={t('addScope')}
              value={newScope}
              onChange={(e) => setNewScope(e.target.value)}
            />
            <button type="submit" className="secondary">
              {t('open')}
            </button>
          </form>
        )}
      </div>

      {!view ? (
        <p className="muted">{t('loading')}</p>
      ) : (
        <>
          <section className="card" data-testid="calendar-year-status">
            <h3>
              {scopeTitle(t, scope)} · {t('yearStatus', { year })}:{' '}
              <span className={`badge ${view.info.status === 'official' ? 'up' : 'warn'}`}>
                {t(view.info.status)}
              </span>{' '}
              <span className="muted">
                {view.info.basis === 'skeleton' ? t('skeleton') : t('published')} · {view.calendarVersion}
              </span>
            </h3>
            {view.record ? (
              <ul>
                {view.record.sources.map((s) => (
                  <li key={s}>{s}</li>
                ))}
                {view.record.note && <li className="muted">{view.record.note}</li>}
              </ul>
            ) : (
              <p className="muted">{t('noRecord', { year })}</p>
            )}
            {editable && (
              <form onSubmit={saveYear} data-testid="calendar-year-form">
                <div className="row">
                  <label>
                    {t('status')}{' '}
                    <select
                      value={yearForm.status}
                      onChange={(e) => setYearForm({ ...yearForm, status: e.target.value as Status })}
                    >
                      <option value="official">{t('official')}</option>
                      <option value="provisional">{t('provisional')}</option>
                    </select>
                  </label>
                  <label>
                    {t('yearNote')}{' '}
                    <input
                      value={yearForm.note}
                      onChange={(e) => setYearForm({ ...yearForm, note: e.target.value })}
                    />
                  </label>
                </div>
                <label>
                  {t('sources')}
                  <textarea
                    rows={3}
                    style={{ width: '100%' }}
                    value={yearForm.sources}
                    onChange={(e) => setYearForm({ ...yearForm, sources: e.target.value })}
                  />
                </label>
                <button type="submit">{view.record ? t('saveYear') : t('createYear', { year })}</button>
              </form>
            )}
          </section>

          <section className="card">
            <p>
              {t('legend')}:{' '}
              {(['regular', 'rest', 'day_off', 'make_up', 'half_day'] as const).map((k) => (
                <span
                  key={k}
                  style={{
                    background: COLORS[k],
                    padding: '1px 6px',
                    marginRight: 6,
                    border: '1px solid #ccc',
                  }}
                >
                  {t(`kind.${k}`)}
                </span>
              ))}
            </p>
            <div data-testid="calendar-months">
              {Array.from({ length: 12 }, (_, i) => (
                <Month key={i} days={view.days} month={i + 1} t={t} />
              ))}
            </div>
          </section>

          <section className="card">
            <h3>{t('days', { n: special.length })}</h3>
            <table data-testid="calendar-days">
              <thead>
                <tr>
                  <th>{t('date')}</th>
                  <th>{t('kind')}</th>
                  <th>{t('name')}</th>
                  <th>{t('source')}</th>
                  <th>{t('status')}</th>
                  <th>{t('windows')}</th>
                  <th>{t('decidedBy')}</th>
                  {editable && <th />}
                </tr>
              </thead>
              <tbody>
                {special.map((d) => (
                  <tr key={d.date} data-date={d.date}>
                    <td>
                      {ddmmyyyy(d.date)} ({t('wd').split(',')[WEEKDAYS.indexOf(d.weekday)]})
                    </td>
                    <td>{t(`kind.${d.kind}`)}</td>
                    <td>
                      {d.name}
                      {d.replaces && (
                        <span className="muted">
                          {' '}
                          ({t('replaces')} {ddmmyyyy(d.replaces)})
                        </span>
                      )}
                      {d.note && <div className="muted">{d.note}</div>}
                    </td>
                    <td>{d.source}</td>
                    <td>
                      <span className={`badge ${d.status === 'official' ? 'up' : 'warn'}`}>
                        {t(d.status)}
                      </span>
                    </td>
                    <td>{windowsText(d.windows) || '—'}</td>
                    <td>{d.decidedBy}</td>
                    {editable && (
                      <td>
                        {view.record?.days.some((x) => x.date === d.date) && (
                          <button
                            type="button"
                            className="danger"
                            onClick={() =>
                              void act(
                                () =>
                                  send('DELETE', `/api/calendar/days/${encodeURIComponent(scope)}/${d.date}`),
                                t('saved'),
                              )
                            }
                          >
                            {t('remove')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            {editable && view.record && (
              <form className="row" onSubmit={saveDay} data-testid="calendar-day-form">
                <strong>{t('addDay')}</strong>
                <input
                  aria-label={t('date')}
                  placeholder="dd/mm/yyyy"
                  style={{ width: '8em' }}
                  value={dayForm.date}
                  onChange={(e) => setDayForm({ ...dayForm, date: e.target.value })}
                />
                <select
                  aria-label={t('kind')}
                  value={dayForm.kind}
                  onChange={(e) => setDayForm({ ...dayForm, kind: e.target.value as CalendarDay['kind'] })}
                >
                  <option value="day_off">{t('kind.day_off')}</option>
                  <option value="make_up">{t('kind.make_up')}</option>
                  <option value="half_day">{t('kind.half_day')}</option>
                </select>
                <input
                  aria-label={t('name')}
                  placeholder={t('name')}
                  value={dayForm.name}
                  onChange={(e) => setDayForm({ ...dayForm, name: e.target.value })}
                />
                <input
                  aria-label={t('source')}
                  placeholder={t('source')}
                  value={dayForm.source}
                  onChange={(e) => setDayForm({ ...dayForm, source: e.target.value })}
                />
                <select
                  aria-label={t('status')}
                  value={dayForm.status}
                  onChange={(e) => setDayForm({ ...dayForm, status: e.target.value as Status })}
                >
                  <option value="official">{t('official')}</option>
                  <option value="provisional">{t('provisional')}</option>
                </select>
                <input
                  aria-label={t('windows')}
                  placeholder="07:00-11:30"
                  value={dayForm.windows}
                  onChange={(e) => setDayForm({ ...dayForm, windows: e.target.value })}
                />
                <input
                  aria-label={t('replaces')}
                  placeholder={`${t('replaces')} dd/mm/yyyy`}
                  style={{ width: '12em' }}
                  value={dayForm.replaces}
                  onChange={(e) => setDayForm({ ...dayForm, replaces: e.target.value })}
                />
                <button type="submit">{t('save')}</button>
              </form>
            )}
          </section>

          <section className="card">
            <h3>{t('weekly')}</h3>
            {editable ? (
              <form onSubmit={saveWeekly} data-testid="calendar-weekly-form">
                <p className="muted">{t('weeklyHelp')}</p>
                <div className="row">
                  {WEEKDAYS.map((w, i) => (
                    <label key={w}>
                      {t('wd').split(',')[i]}{' '}
                      <input
                        style={{ width: '11em' }}
                        value={weeklyForm[w] ?? ''}
                        placeholder={`${effective(w)} ${t('weeklyInherited')}`}
                        onChange={(e) => setWeeklyForm({ ...weeklyForm, [w]: e.target.value })}
                      />
                    </label>
                  ))}
                </div>
                <button type="submit">{t('saveWeekly')}</button>
              </form>
            ) : (
              <ul>
                {WEEKDAYS.map((w, i) => (
                  <li key={w}>
                    {t('wd').split(',')[i]}: {effective(w)} {view.weekly[w] ? '' : t('weeklyInherited')}
                  </li>
                ))}
              </ul>
            )}
          </section>

          {editable && (
            <section className="card" data-testid="calendar-import">
              <h3>{t('import')}</h3>
              <p className="muted">{t('importHelp')}</p>
              <div className="row">
                <label>
                  {t('file')}{' '}
                  <input
                    type="file"
                    data-testid="calendar-file"
                    accept=".csv,.xlsx"
                    onChange={(e) => {
                      setFile(e.target.files?.[0] ?? null);
                      setPlan(null);
                    }}
                  />
                </label>
                <label>
                  {t('status')}{' '}
                  <select value={importStatus} onChange={(e) => setImportStatus(e.target.value as Status)}>
                    <option value="official">{t('official')}</option>
                    <option value="provisional">{t('provisional')}</option>
                  </select>
                </label>
                <label>
                  {t('notice')}{' '}
                  <input value={importSource} onChange={(e) => setImportSource(e.target.value)} />
                </label>
                <button
                  type="button"
                  className="secondary"
                  disabled={!file}
                  onClick={() => void runImport(true)}
                >
                  {t('dryRun')}
                </button>
                <button
                  type="button"
                  disabled={!plan?.plan || plan.errors.length > 0}
                  onClick={() => void runImport(false)}
                >
                  {t('apply')}
                </button>
              </div>
              {plan && (
                <div data-testid="calendar-plan">
                  {plan.plan && (
                    <p>
                      {t('planCounts', {
                        added: plan.plan.added.length,
                        changed: plan.plan.changed.length,
                        removed: plan.plan.removed.length,
                        unchanged: plan.plan.unchanged,
                      })}
                    </p>
                  )}
                  {plan.plan && plan.plan.added.length > 0 && (
                    <ul>
                      {plan.plan.added.map((d) => (
                        <li key={d.date}>
                          <ins>
                            {ddmmyyyy(d.date)} {t(`kind.${d.kind}`)} — {d.name}
                          </ins>
                        </li>
                      ))}
                    </ul>
                  )}
                  {plan.errors.length > 0 && (
                    <div className="msg err">
                      {t('rowErrors', { n: plan.errors.length })}
                      <ul>
                        {plan.errors.map((e) => (
                          <li key={e.field}>{e.message}</li>
                        ))}
                      </ul>
                    </div>
                  )}
                </div>
              )}
            </section>
          )}

          <section className="card" data-testid="calendar-publish">
            <h3>{t('publish')}</h3>
            <p>
              {changeCount > 0 && changes
                ? t('changes', {
                    v: changes.against ?? '—',
                    added: changes.added.length,
                    changed: changes.changed.length,
                    removed: changes.removed.length,
                  })
                : t('noChanges', { v: changes?.against ?? '—' })}
            </p>
            {admin && (
              <form className="row" onSubmit={publish}>
                <input
                  placeholder={t('publishNote')}
                  aria-label={t('publishNote')}
                  value={publishNote}
                  onChange={(e) => setPublishNote(e.target.value)}
                />
                <button type="submit" disabled={changeCount === 0}>
                  {t('publishButton')}
                </button>
              </form>
            )}
            <h4>{t('versions')}</h4>
            <ul>
              {(overview?.versions ?? []).map((v) => (
                <li key={v.version}>
                  <strong>{v.version}</strong> — {when(v.publishedAt)} — {v.publishedBy}
                  {v.note ? ` — ${v.note}` : ''}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </section>
  );
}
