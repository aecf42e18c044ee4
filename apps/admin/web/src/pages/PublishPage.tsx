import { type FormEvent, useCallback, useContext, useEffect, useState } from 'react';
import {
  type DraftChanges,
  type IsoProcess,
  type KeyedDiff,
  type LocalCodeMapping,
  type MappingVersion,
  type PublishResult,
  type StatusMapping,
  getJson,
  send,
} from '../api';
import { I18n, type Key, useT } from '../i18n';
import { ErrorBox, FieldErrors, firstOf, milestoneLabel, nationalStatusLabel, when } from './common';

type Kind = 'local_code' | 'status' | 'process';
const KINDS: { kind: Kind; title: Key }[] = [
  { kind: 'local_code', title: 'kindLocal' },
  { kind: 'status', title: 'nav.statuses' },
  { kind: 'process', title: 'kindProcess' },
];
/** Bookkeeping that never counts as a change. */
const IGNORED = new Set(['updatedAt', 'updatedBy']);

function describe(kind: Kind, row: unknown, lang: 'vi' | 'en'): string {
  switch (kind) {
    case 'local_code': {
      const m = row as LocalCodeMapping;
      return `${m.sourceSystem} / ${m.localCode} → ${m.nationalCode}${m.agencyCode ? ` (${m.agencyCode})` : ''}`;
    }
    case 'status': {
      const s = row as StatusMapping;
      return `${s.sourceSystem} / ${s.status} / ${s.subStatus} @ ${s.validFrom} → ${nationalStatusLabel(s.nationalStatus, lang)}, ${milestoneLabel(s.milestone, lang)}`;
    }
    case 'process': {
      const p = row as IsoProcess;
      const hours = p.steps.reduce((n, s) => n + s.allowanceHours, 0);
      return `${p.agencyCode} / ${p.procedureCode}${p.caseCode ? ` / ${p.caseCode}` : ''} ${p.isoCode ?? ''} ${p.name ?? ''} (${p.steps.length} × ${hours} h)`;
    }
  }
}

const show = (v: unknown): string =>
  v === null || v === undefined || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v);

/** The fields of a changed row whose values differ, before → after. */
function FieldChanges({ before, after }: { before: unknown; after: unknown }) {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (f) => !IGNORED.has(f) && JSON.stringify(b[f]) !== JSON.stringify(a[f]),
  );
  return (
    <ul>
      {fields.map((f) => (
        <li key={f}>
          <code>{f}</code>: <del>{show(b[f])}</del> → <ins>{show(a[f])}</ins>
        </li>
      ))}
    </ul>
  );
}

function KindChanges({ kind, title, diff }: { kind: Kind; title: Key; diff: KeyedDiff<unknown> }) {
  const t = useT();
  const { lang } = useContext(I18n);
  const added = firstOf(diff.added);
  const changed = firstOf(diff.changed);
  const removed = firstOf(diff.removed);
  const empty = diff.added.length + diff.changed.length + diff.removed.length === 0;
  return (
    <section className="card" data-testid={`changes-${kind}`}>
      <h3>
        {t(title)}{' '}
        <span className="muted">
          {t('changeCounts', {
            added: diff.added.length,
            changed: diff.changed.length,
            removed: diff.removed.length,
            unchanged: diff.unchanged,
          })}
        </span>
      </h3>
      {empty ? (
        <p className="muted">{t('noChanges')}</p>
      ) : (
        <table>
          <tbody>
            {added.shown.map((r, i) => (
              <tr key={`a${i}`}>
                <td>
                  <span className="badge up">{t('added')}</span>
                </td>
                <td>{describe(kind, r, lang)}</td>
              </tr>
            ))}
            {changed.shown.map((c) => (
              <tr key={`c${c.key}`}>
                <td>
                  <span className="badge warn">{t('changed')}</span>
                </td>
                <td>
                  {describe(kind, c.after, lang)}
                  <FieldChanges before={c.before} after={c.after} />
                </td>
              </tr>
            ))}
            {removed.shown.map((r, i) => (
              <tr key={`r${i}`}>
                <td>
                  <span className="badge down">{t('removed')}</span>
                </td>
                <td>
                  <del>{describe(kind, r, lang)}</del>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {added.more + changed.more + removed.more > 0 && (
        <p className="muted">{t('andMore', { n: added.more + changed.more + removed.more })}</p>
      )}
    </section>
  );
}

const summaryText = (s: MappingVersion['summary']): string =>
  Object.entries(s)
    .map(([k, c]) => `${k}: +${c?.added ?? 0} ~${c?.changed ?? 0} −${c?.removed ?? 0}`)
    .join(' · ');

export function PublishPage({ admin }: { admin: boolean }) {
  const t = useT();
  const [changes, setChanges] = useState<DraftChanges | null>(null);
  const [versions, setVersions] = useState<{ current: string | null; items: MappingVersion[] } | null>(null);
  const [form, setForm] = useState({ effectiveFrom: '', note: '' });
  const [result, setResult] = useState<PublishResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [c, v] = await Promise.all([
        getJson<DraftChanges>('/api/mapping/draft/changes'),
        getJson<{ current: string | null; items: MappingVersion[] }>('/api/mapping/versions'),
      ]);
      setChanges(c);
      setVersions(v);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const publish = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await send<PublishResult>('POST', '/api/mapping/publish', {
        ...(form.effectiveFrom ? { effectiveFrom: form.effectiveFrom } : {}),
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
      });
      setResult(r);
      setForm({ effectiveFrom: '', note: '' });
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const pending =
    changes !== null &&
    KINDS.some(
      ({ kind }) =>
        changes[kind].added.length + changes[kind].changed.length + changes[kind].removed.length > 0,
    );

  return (
    <>
      <h2>{t('nav.publish')}</h2>
      <p className="muted">{t('draftAgainst', { base: changes?.base ?? t('noVersionYet') })}</p>
      {admin && (
        <section className="card">
          <h3>{t('publishTitle')}</h3>
          <form className="row" data-testid="publish-form" onSubmit={(e) => void publish(e)}>
            <label>
              {t('effectiveFrom')}
              <input
                name="effectiveFrom"
                type="date"
                value={form.effectiveFrom}
                onChange={(e) => setForm({ ...form, effectiveFrom: e.target.value })}
              />
              <FieldErrors error={error} at="/effectiveFrom" />
            </label>
            <label>
              {t('note')}
              <input
                name="note"
                value={form.note}
                onChange={(e) => setForm({ ...form, note: e.target.value })}
              />
              <FieldErrors error={error} at="/note" />
            </label>
            <button type="submit" data-testid="publish" disabled={busy || !pending}>
              {t('publish')}
            </button>
            {!pending && changes && <span className="muted">{t('nothingToPublish')}</span>}
          </form>
        </section>
      )}
      <ErrorBox error={error} />
      {result && (
        <div className="msg ok" data-testid="publish-result">
          {t('published', { v: result.version, at: when(result.effectiveFrom) })}{' '}
          {result.resolvedUnmapped.length > 0
            ? t('resolvedUnmapped', {
                codes: result.resolvedUnmapped.map((u) => `${u.sourceSystem}/${u.code}`).join(', '),
              })
            : t('resolvedUnmappedNone')}
        </div>
      )}
      {changes &&
        KINDS.map(({ kind, title }) => (
          <KindChanges key={kind} kind={kind} title={title} diff={changes[kind]} />
        ))}
      <h3>{t('versionsTitle')}</h3>
      <table data-testid="versions">
        <thead>
          <tr>
            <th>{t('version')}</th>
            <th>{t('effectiveFrom')}</th>
            <th>{t('publishedAt')}</th>
            <th>{t('actor')}</th>
            <th>{t('note')}</th>
            <th>{t('changesTitle')}</th>
          </tr>
        </thead>
        <tbody>
          {versions?.items.map((v) => (
            <tr key={v.version}>
              <td>
                <code>{v.version}</code>{' '}
                {v.version === versions.current && <span className="badge up">{t('inEffect')}</span>}
              </td>
              <td>{when(v.effectiveFrom)}</td>
              <td>{when(v.publishedAt)}</td>
              <td>{v.publishedBy}</td>
              <td>{v.note ?? ''}</td>
              <td className="muted">{summaryText(v.summary)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions?.items.length === 0 && <p className="muted">{t('noVersionYet')}</p>}
    </>
  );
}
