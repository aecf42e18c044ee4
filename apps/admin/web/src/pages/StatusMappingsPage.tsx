import { type FormEvent, useCallback, useContext, useEffect, useState } from 'react';
import { type Page, type StatusMapping, type StatusPrefill, getJson, send } from '../api';
import { I18n, useT } from '../i18n';
import {
  DeleteButton,
  ErrorBox,
  FieldErrors,
  MILESTONES,
  NATIONAL_STATUS_CODES,
  milestoneLabel,
  nationalStatusLabel,
  when,
} from './common';

const EMPTY = {
  sourceSystem: '',
  status: '',
  subStatus: '*',
  validFrom: '',
  nationalStatus: '4',
  milestone: 'STEP_HANDOVER',
  agencyCode: '',
  note: '',
};
type Form = typeof EMPTY;

const keyOf = (m: Pick<StatusMapping, 'sourceSystem' | 'status' | 'subStatus' | 'validFrom'>) =>
  `${m.sourceSystem}/${m.status}/${m.subStatus}@${m.validFrom}`;

export function StatusMappingsPage({ writer, prefill }: { writer: boolean; prefill?: StatusPrefill }) {
  const t = useT();
  const { lang } = useContext(I18n);
  const [source, setSource] = useState('');
  const [list, setList] = useState<Page<StatusMapping> | null>(null);
  // from the unmapped-status list: the status to map, no sub-status sent = any ('*')
  const [form, setForm] = useState<Form>(
    prefill ? { ...EMPTY, ...prefill, subStatus: prefill.subStatus || '*' } : EMPTY,
  );
  const [confirm, setConfirm] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [probe, setProbe] = useState({
    sourceSystem: '',
    status: '',
    subStatus: '',
    on: '',
    version: 'draft',
  });
  const [resolved, setResolved] = useState<{ match: StatusMapping | null; version: string } | null>(null);
  const [probeError, setProbeError] = useState<unknown>(null);

  const load = useCallback(async (sourceSystem: string) => {
    const q = new URLSearchParams({ version: 'draft', limit: '1000' });
    if (sourceSystem.trim()) {
      q.set('sourceSystem', sourceSystem.trim());
    }
    try {
      setList(await getJson<Page<StatusMapping>>(`/api/mapping/statuses?${q.toString()}`));
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load('');
  }, [load]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    try {
      const saved = await send<StatusMapping>('PUT', '/api/mapping/statuses', {
        sourceSystem: form.sourceSystem.trim(),
        status: form.status.trim(),
        subStatus: form.subStatus.trim() || '*',
        ...(form.validFrom ? { validFrom: form.validFrom } : {}),
        nationalStatus: Number(form.nationalStatus),
        milestone: form.milestone,
        agencyCode: form.agencyCode.trim() || null,
        note: form.note.trim() || null,
      });
      setNotice(t('saved', { key: keyOf(saved) }));
      setForm(EMPTY);
      await load(source);
    } catch (err) {
      setError(err);
    }
  };

  const remove = async (m: StatusMapping) => {
    setError(null);
    setNotice(null);
    try {
      const q = new URLSearchParams({
        sourceSystem: m.sourceSystem,
        status: m.status,
        subStatus: m.subStatus,
        validFrom: m.validFrom,
      });
      await send('DELETE', `/api/mapping/statuses?${q.toString()}`);
      setNotice(t('deleted', { key: keyOf(m) }));
      setConfirm(null);
      await load(source);
    } catch (err) {
      setError(err);
    }
  };

  const resolve = async (e: FormEvent) => {
    e.preventDefault();
    setProbeError(null);
    setResolved(null);
    const q = new URLSearchParams({
      sourceSystem: probe.sourceSystem.trim(),
      status: probe.status.trim(),
      version: probe.version,
    });
    if (probe.subStatus.trim()) {
      q.set('subStatus', probe.subStatus.trim());
    }
    if (probe.on) {
      q.set('on', probe.on);
    }
    try {
      setResolved(await getJson(`/api/mapping/statuses/resolve?${q.toString()}`));
    } catch (err) {
      setProbeError(err);
    }
  };

  const input = (name: keyof Form, label: Parameters<typeof t>[0], type = 'text', required = false) => (
    <label>
      {t(label)}
      <input
        name={name}
        type={type}
        value={form[name]}
        required={required}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      <FieldErrors error={error} at={`/${name}`} />
    </label>
  );

  return (
    <>
      <h2>{t('nav.statuses')}</h2>
      <p className="muted">{t('statusesNote')}</p>
      {writer && (
        <section className="card">
          <h3>{t('statusForm')}</h3>
          <form className="row" data-testid="status-form" onSubmit={(e) => void save(e)}>
            {input('sourceSystem', 'sourceSystem', 'text', true)}
            {input('status', 'sourceStatus', 'text', true)}
            {input('subStatus', 'subStatus')}
            {input('validFrom', 'validFrom', 'date')}
            <label>
              {t('nationalStatus')}
              <select
                name="nationalStatus"
                value={form.nationalStatus}
                onChange={(e) => setForm({ ...form, nationalStatus: e.target.value })}
              >
                {NATIONAL_STATUS_CODES.map((n) => (
                  <option key={n} value={n}>
                    {nationalStatusLabel(n, lang)}
                  </option>
                ))}
              </select>
              <FieldErrors error={error} at="/nationalStatus" />
            </label>
            <label>
              {t('milestone')}
              <select
                name="milestone"
                value={form.milestone}
                onChange={(e) => setForm({ ...form, milestone: e.target.value })}
              >
                {MILESTONES.map((m) => (
                  <option key={m} value={m}>
                    {milestoneLabel(m, lang)} — {m}
                  </option>
                ))}
              </select>
              <FieldErrors error={error} at="/milestone" />
            </label>
            {input('agencyCode', 'agencyCode')}
            {input('note', 'note')}
            <button type="submit">{t('save')}</button>
            <button type="button" className="secondary" onClick={() => setForm(EMPTY)}>
              {t('cancel')}
            </button>
          </form>
        </section>
      )}
      {notice && <div className="msg ok">{notice}</div>}
      <ErrorBox error={error} />
      <section className="card">
        <h3>{t('resolveTitle')}</h3>
        <form className="row" data-testid="resolve-form" onSubmit={(e) => void resolve(e)}>
          {(['sourceSystem', 'status', 'subStatus'] as const).map((name) => (
            <label key={name}>
              {t(name === 'status' ? 'sourceStatus' : name)}
              <input
                name={`probe-${name}`}
                value={probe[name]}
                required={name !== 'subStatus'}
                onChange={(e) => setProbe({ ...probe, [name]: e.target.value })}
              />
            </label>
          ))}
          <label>
            {t('onDate')}
            <input
              name="probe-on"
              type="date"
              value={probe.on}
              onChange={(e) => setProbe({ ...probe, on: e.target.value })}
            />
          </label>
          <label>
            {t('version')}
            <select
              name="probe-version"
              value={probe.version}
              onChange={(e) => setProbe({ ...probe, version: e.target.value })}
            >
              <option value="draft">{t('versionDraft')}</option>
              <option value="current">{t('versionCurrent')}</option>
            </select>
          </label>
          <button type="submit" className="secondary">
            {t('resolve')}
          </button>
        </form>
        <ErrorBox error={probeError} />
        {resolved && (
          <div className={`msg ${resolved.match ? 'ok' : 'err'}`} data-testid="resolved">
            {resolved.match
              ? t('resolvedTo', {
                  status: nationalStatusLabel(resolved.match.nationalStatus, lang),
                  milestone: `${milestoneLabel(resolved.match.milestone, lang)} (${resolved.match.milestone})`,
                  row: keyOf(resolved.match),
                  v: resolved.version,
                })
              : t('resolvedNone', { v: resolved.version })}
          </div>
        )}
      </section>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void load(source);
        }}
      >
        <input
          name="filter"
          value={source}
          placeholder={t('sourceSystem')}
          onChange={(e) => setSource(e.target.value)}
        />
        <button type="submit" className="secondary">
          {t('filter')}
        </button>
        {list && <span className="muted">{t('statusesTotal', { n: list.total, v: list.version })}</span>}
      </form>
      <table data-testid="statuses">
        <thead>
          <tr>
            <th>{t('sourceSystem')}</th>
            <th>{t('sourceStatus')}</th>
            <th>{t('subStatus')}</th>
            <th>{t('validFrom')}</th>
            <th>{t('nationalStatus')}</th>
            <th>{t('milestone')}</th>
            <th>{t('agencyCode')}</th>
            <th>{t('note')}</th>
            <th>{t('updated')}</th>
            {writer && <th>{t('actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {list?.items.map((m) => (
            <tr key={keyOf(m)}>
              <td>{m.sourceSystem}</td>
              <td>
                <code>{m.status}</code>
              </td>
              <td>
                {m.subStatus === '*' ? <span className="muted">* ({t('anySubStatus')})</span> : m.subStatus}
              </td>
              <td>{m.validFrom}</td>
              <td>{nationalStatusLabel(m.nationalStatus, lang)}</td>
              <td>
                {milestoneLabel(m.milestone, lang)} <code className="muted">{m.milestone}</code>
              </td>
              <td>{m.agencyCode ?? '—'}</td>
              <td>{m.note ?? ''}</td>
              <td className="muted">
                {when(m.updatedAt)} {m.updatedBy ?? ''}
              </td>
              {writer && (
                <td>
                  <div className="row">
                    <button
                      type="button"
                      className="secondary"
                      onClick={() =>
                        setForm({
                          sourceSystem: m.sourceSystem,
                          status: m.status,
                          subStatus: m.subStatus,
                          validFrom: m.validFrom,
                          nationalStatus: String(m.nationalStatus),
                          milestone: m.milestone,
                          agencyCode: m.agencyCode ?? '',
                          note: m.note ?? '',
                        })
                      }
                    >
                      {t('edit')}
                    </button>
                    <DeleteButton
                      armed={confirm === keyOf(m)}
                      onArm={() => setConfirm(keyOf(m))}
                      onConfirm={() => void remove(m)}
                    />
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
