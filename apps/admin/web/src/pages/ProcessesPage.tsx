import { type FormEvent, useCallback, useContext, useEffect, useState } from 'react';
import { type Channel, type IsoProcess, type Page, getJson, send } from '../api';
import { I18n, useT } from '../i18n';
import {
  DeleteButton,
  ErrorBox,
  FieldErrors,
  NATIONAL_STATUS_CODES,
  nationalStatusLabel,
  when,
} from './common';

const HOURS_PER_DAY = 8;
const CHANNELS: Channel[] = ['inPerson', 'online', 'postal'];
const UNITS = ['working_days', 'calendar_days', 'months', 'years', 'working_hours', 'same_day'] as const;

interface StepForm {
  code: string;
  name: string;
  responsibleUnit: string;
  allowance: string;
  allowanceUnit: 'hours' | 'days';
  nationalStatus: string;
  formCodes: string;
}

interface TimeForm {
  text: string;
  value: string;
  unit: string;
}

interface ProcessForm {
  agencyCode: string;
  procedureCode: string;
  caseCode: string;
  isoCode: string;
  name: string;
  statutory: Record<Channel, TimeForm>;
  steps: StepForm[];
}

const EMPTY_STEP: StepForm = {
  code: '',
  name: '',
  responsibleUnit: '',
  allowance: '',
  allowanceUnit: 'hours',
  nationalStatus: '',
  formCodes: '',
};
const EMPTY_TIME: TimeForm = { text: '', value: '', unit: 'working_days' };

function emptyForm(): ProcessForm {
  return {
    agencyCode: '',
    procedureCode: '',
    caseCode: '',
    isoCode: '',
    name: '',
    statutory: { inPerson: { ...EMPTY_TIME }, online: { ...EMPTY_TIME }, postal: { ...EMPTY_TIME } },
    steps: [{ ...EMPTY_STEP }],
  };
}

/** A stored process in the form: allowances in hours, as stored; times as their text when they have one. */
function toForm(p: IsoProcess): ProcessForm {
  const time = (c: Channel): TimeForm => {
    const s = p.statutory[c];
    if (!s) {
      return { ...EMPTY_TIME };
    }
    return s.text ? { ...EMPTY_TIME, text: s.text } : { text: '', value: String(s.value), unit: s.unit };
  };
  return {
    agencyCode: p.agencyCode,
    procedureCode: p.procedureCode,
    caseCode: p.caseCode,
    isoCode: p.isoCode ?? '',
    name: p.name ?? '',
    statutory: { inPerson: time('inPerson'), online: time('online'), postal: time('postal') },
    steps: p.steps.map((s) => ({
      code: s.code ?? '',
      name: s.name,
      responsibleUnit: s.responsibleUnit ?? '',
      allowance: String(s.allowanceHours),
      allowanceUnit: 'hours',
      nationalStatus: s.nationalStatus === null ? '' : String(s.nationalStatus),
      formCodes: s.formCodes.join(', '),
    })),
  };
}

const optional = (v: string): string | null => (v.trim() === '' ? null : v.trim());
/** A number as typed, or the text itself so the API names what is wrong with it. */
const numberOrText = (v: string): number | string => (Number.isFinite(Number(v)) ? Number(v) : v);

/** The PUT body. All three times blank: the API takes them from the catalogue. */
function toBody(f: ProcessForm): Record<string, unknown> {
  const statutory: Record<string, unknown> = {};
  for (const c of CHANNELS) {
    const t = f.statutory[c];
    if (t.text.trim() !== '') {
      statutory[c] = t.text.trim();
    } else if (t.value.trim() !== '' || t.unit === 'same_day') {
      statutory[c] = { value: t.value.trim() === '' ? 0 : numberOrText(t.value.trim()), unit: t.unit };
    }
  }
  const anyTime = CHANNELS.some(
    (c) => f.statutory[c].text.trim() !== '' || f.statutory[c].value.trim() !== '',
  );
  return {
    caseCode: f.caseCode.trim(),
    isoCode: optional(f.isoCode),
    name: optional(f.name),
    ...(anyTime ? { statutory } : {}),
    steps: f.steps.map((s) => ({
      code: optional(s.code),
      name: s.name.trim(),
      responsibleUnit: optional(s.responsibleUnit),
      ...(s.allowance.trim() === ''
        ? {}
        : s.allowanceUnit === 'days'
          ? { allowanceDays: numberOrText(s.allowance.trim()) }
          : { allowanceHours: numberOrText(s.allowance.trim()) }),
      nationalStatus: s.nationalStatus === '' ? null : Number(s.nationalStatus),
      formCodes: s.formCodes
        .split(/[,;]/)
        .map((c) => c.trim())
        .filter(Boolean),
    })),
  };
}

const pathOf = (p: { agencyCode: string; procedureCode: string }) =>
  `/api/mapping/processes/${encodeURIComponent(p.agencyCode.trim())}/${encodeURIComponent(p.procedureCode.trim())}`;

const totalHours = (p: IsoProcess) => p.steps.reduce((n, s) => n + s.allowanceHours, 0);

export function ProcessesPage({ writer }: { writer: boolean }) {
  const t = useT();
  const { lang } = useContext(I18n);
  const [filter, setFilter] = useState({ agencyCode: '', procedureCode: '', version: 'draft' });
  const [list, setList] = useState<Page<IsoProcess> | null>(null);
  const [form, setForm] = useState<ProcessForm | null>(null);
  const [existing, setExisting] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (f: typeof filter) => {
    const q = new URLSearchParams({ version: f.version || 'draft', limit: '200' });
    if (f.agencyCode.trim()) {
      q.set('agencyCode', f.agencyCode.trim());
    }
    if (f.procedureCode.trim()) {
      q.set('procedureCode', f.procedureCode.trim());
    }
    try {
      setList(await getJson<Page<IsoProcess>>(`/api/mapping/processes?${q.toString()}`));
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load({ agencyCode: '', procedureCode: '', version: 'draft' });
  }, [load]);

  const open = async (p: IsoProcess) => {
    setError(null);
    setNotice(null);
    setConfirm(false);
    try {
      const q = new URLSearchParams({ version: list?.version ?? 'draft', caseCode: p.caseCode });
      const full = await getJson<IsoProcess>(`${pathOf(p)}?${q.toString()}`);
      setForm(toForm(full));
      setExisting(true);
    } catch (err) {
      setError(err);
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) {
      return;
    }
    setError(null);
    setNotice(null);
    try {
      const saved = await send<IsoProcess>('PUT', pathOf(form), toBody(form));
      setForm(toForm(saved));
      setExisting(true);
      setNotice(t('saved', { key: `${saved.agencyCode}/${saved.procedureCode}` }));
      await load(filter);
    } catch (err) {
      setError(err);
    }
  };

  const remove = async () => {
    if (!form) {
      return;
    }
    setError(null);
    try {
      await send('DELETE', `${pathOf(form)}?caseCode=${encodeURIComponent(form.caseCode)}`);
      setNotice(t('deleted', { key: `${form.agencyCode}/${form.procedureCode}` }));
      setForm(null);
      setConfirm(false);
      await load(filter);
    } catch (err) {
      setError(err);
    }
  };

  const edit = (change: Partial<ProcessForm>) => form && setForm({ ...form, ...change });
  const editStep = (i: number, change: Partial<StepForm>) =>
    form && edit({ steps: form.steps.map((s, j) => (j === i ? { ...s, ...change } : s)) });
  const moveStep = (i: number, by: -1 | 1) => {
    if (!form || i + by < 0 || i + by >= form.steps.length) {
      return;
    }
    const steps = [...form.steps];
    const [step] = steps.splice(i, 1);
    if (step) {
      steps.splice(i + by, 0, step);
    }
    edit({ steps });
  };
  const ro = !writer;

  const text = (name: 'agencyCode' | 'procedureCode' | 'caseCode' | 'isoCode' | 'name', locked = false) =>
    form && (
      <label>
        {t(name === 'name' ? 'processName' : name)}
        <input
          name={name}
          value={form[name]}
          disabled={ro || locked}
          required={name === 'agencyCode' || name === 'procedureCode'}
          onChange={(e) => edit({ [name]: e.target.value })}
        />
        <FieldErrors error={error} at={`/${name}`} />
      </label>
    );

  return (
    <>
      <h2>{t('nav.processes')}</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void load(filter);
        }}
      >
        <label>
          {t('agencyCode')}
          <input
            name="filterAgency"
            value={filter.agencyCode}
            onChange={(e) => setFilter({ ...filter, agencyCode: e.target.value })}
          />
        </label>
        <label>
          {t('procedureCode')}
          <input
            name="filterProcedure"
            value={filter.procedureCode}
            onChange={(e) => setFilter({ ...filter, procedureCode: e.target.value })}
          />
        </label>
        <label>
          {t('version')}
          <input
            name="filterVersion"
            value={filter.version}
            placeholder="draft | current | m-1"
            onChange={(e) => setFilter({ ...filter, version: e.target.value })}
          />
        </label>
        <button type="submit" className="secondary">
          {t('filter')}
        </button>
        {writer && (
          <button
            type="button"
            data-testid="new-process"
            onClick={() => {
              setForm(emptyForm());
              setExisting(false);
              setError(null);
              setNotice(null);
            }}
          >
            {t('newProcess')}
          </button>
        )}
        {list && <span className="muted">{t('processesTotal', { n: list.total, v: list.version })}</span>}
      </form>
      {notice && <div className="msg ok">{notice}</div>}
      <ErrorBox error={error} />
      {form && (
        <section className="card" data-testid="process-editor">
          <h3>{existing ? `${form.agencyCode} / ${form.procedureCode}` : t('newProcess')}</h3>
          <form onSubmit={(e) => void save(e)}>
            <div className="row">
              {text('agencyCode', existing)}
              {text('procedureCode', existing)}
              {text('caseCode', existing)}
              {text('isoCode')}
              {text('name')}
            </div>
            <h3>{t('statutoryTitle')}</h3>
            <p className="muted">{t('statutoryHint')}</p>
            <div className="row">
              {CHANNELS.map((c) => (
                <fieldset key={c} className="row" data-channel={c}>
                  <legend>{t(c)}</legend>
                  <label>
                    {t('timeText')}
                    <input
                      name={`${c}-text`}
                      value={form.statutory[c].text}
                      placeholder="5 ngày làm việc"
                      disabled={ro}
                      onChange={(e) =>
                        edit({
                          statutory: {
                            ...form.statutory,
                            [c]: { ...form.statutory[c], text: e.target.value },
                          },
                        })
                      }
                    />
                  </label>
                  <label>
                    {t('timeValue')}
                    <input
                      name={`${c}-value`}
                      value={form.statutory[c].value}
                      size={5}
                      disabled={ro || form.statutory[c].text.trim() !== ''}
                      onChange={(e) =>
                        edit({
                          statutory: {
                            ...form.statutory,
                            [c]: { ...form.statutory[c], value: e.target.value },
                          },
                        })
                      }
                    />
                  </label>
                  <label>
                    {t('timeUnit')}
                    <select
                      name={`${c}-unit`}
                      value={form.statutory[c].unit}
                      disabled={ro || form.statutory[c].text.trim() !== ''}
                      onChange={(e) =>
                        edit({
                          statutory: {
                            ...form.statutory,
                            [c]: { ...form.statutory[c], unit: e.target.value },
                          },
                        })
                      }
                    >
                      {UNITS.map((u) => (
                        <option key={u} value={u}>
                          {t(`unit.${u}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <FieldErrors error={error} at={`/statutory/${c}`} prefix />
                </fieldset>
              ))}
            </div>
            <h3>{t('stepsTitle')}</h3>
            <p className="muted">{t('stepsHint')}</p>
            <FieldErrors error={error} at="/steps" />
            <table className="steps" data-testid="steps">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('stepCode')}</th>
                  <th>{t('stepName')}</th>
                  <th>{t('responsibleUnit')}</th>
                  <th>{t('allowance')}</th>
                  <th>{t('nationalStatus')}</th>
                  <th>{t('formCodes')}</th>
                  {writer && <th>{t('actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {form.steps.map((s, i) => (
                  <tr key={i} data-step={i}>
                    <td>{i + 1}</td>
                    <td>
                      <input
                        name="step-code"
                        value={s.code}
                        disabled={ro}
                        onChange={(e) => editStep(i, { code: e.target.value })}
                      />
                      <FieldErrors error={error} at={`/steps/${i}/code`} />
                    </td>
                    <td>
                      <input
                        name="step-name"
                        value={s.name}
                        disabled={ro}
                        onChange={(e) => editStep(i, { name: e.target.value })}
                      />
                      <FieldErrors error={error} at={`/steps/${i}/name`} />
                      <FieldErrors error={error} at={`/steps/${i}`} />
                    </td>
                    <td>
                      <input
                        name="step-unit"
                        value={s.responsibleUnit}
                        disabled={ro}
                        onChange={(e) => editStep(i, { responsibleUnit: e.target.value })}
                      />
                      <FieldErrors error={error} at={`/steps/${i}/responsibleUnit`} />
                    </td>
                    <td className="num">
                      <div className="row">
                        <input
                          name="step-allowance"
                          value={s.allowance}
                          disabled={ro}
                          onChange={(e) => editStep(i, { allowance: e.target.value })}
                        />
                        <select
                          name="step-allowance-unit"
                          value={s.allowanceUnit}
                          disabled={ro}
                          onChange={(e) => editStep(i, { allowanceUnit: e.target.value as 'hours' | 'days' })}
                        >
                          <option value="hours">{t('hours')}</option>
                          <option value="days">{t('workingDays')}</option>
                        </select>
                      </div>
                      {s.allowanceUnit === 'days' &&
                        Number.isFinite(Number(s.allowance)) &&
                        s.allowance !== '' && (
                          <span className="muted">= {Number(s.allowance) * HOURS_PER_DAY} h</span>
                        )}
                      <FieldErrors error={error} at={`/steps/${i}/allowanceHours`} />
                      <FieldErrors error={error} at={`/steps/${i}/allowanceDays`} />
                    </td>
                    <td>
                      <select
                        name="step-status"
                        value={s.nationalStatus}
                        disabled={ro}
                        onChange={(e) => editStep(i, { nationalStatus: e.target.value })}
                      >
                        <option value="">—</option>
                        {NATIONAL_STATUS_CODES.map((n) => (
                          <option key={n} value={n}>
                            {nationalStatusLabel(n, lang)}
                          </option>
                        ))}
                      </select>
                      <FieldErrors error={error} at={`/steps/${i}/nationalStatus`} />
                    </td>
                    <td>
                      <input
                        name="step-forms"
                        value={s.formCodes}
                        placeholder="BM-VP01.02, BM-VP01.03"
                        disabled={ro}
                        onChange={(e) => editStep(i, { formCodes: e.target.value })}
                      />
                      <FieldErrors error={error} at={`/steps/${i}/formCodes`} prefix />
                    </td>
                    {writer && (
                      <td>
                        <div className="row">
                          <button
                            type="button"
                            className="secondary"
                            title={t('moveUp')}
                            aria-label={t('moveUp')}
                            disabled={i === 0}
                            onClick={() => moveStep(i, -1)}
                          >
                            ↑
                          </button>
                          <button
                            type="button"
                            className="secondary"
                            title={t('moveDown')}
                            aria-label={t('moveDown')}
                            disabled={i === form.steps.length - 1}
                            onClick={() => moveStep(i, 1)}
                          >
                            ↓
                          </button>
                          <button
                            type="button"
                            className="danger"
                            title={t('removeStep')}
                            aria-label={t('removeStep')}
                            onClick={() => edit({ steps: form.steps.filter((_, j) => j !== i) })}
                          >
                            ✕
                          </button>
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            {writer && (
              <div className="row">
                <button
                  type="button"
                  className="secondary"
                  data-testid="add-step"
                  onClick={() => edit({ steps: [...form.steps, { ...EMPTY_STEP }] })}
                >
                  {t('addStep')}
                </button>
                <button type="submit" data-testid="save-process">
                  {t('save')}
                </button>
                <button type="button" className="secondary" onClick={() => setForm(null)}>
                  {t('close')}
                </button>
                {existing && (
                  <DeleteButton
                    armed={confirm}
                    onArm={() => setConfirm(true)}
                    onConfirm={() => void remove()}
                  />
                )}
              </div>
            )}
          </form>
        </section>
      )}
      <table data-testid="processes">
        <thead>
          <tr>
            <th>{t('agencyCode')}</th>
            <th>{t('procedureCode')}</th>
            <th>{t('caseCode')}</th>
            <th>{t('isoCode')}</th>
            <th>{t('processName')}</th>
            <th>{t('stepsTitle')}</th>
            <th>{t('updated')}</th>
            <th>{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {list?.items.map((p) => (
            <tr key={`${p.agencyCode}/${p.procedureCode}/${p.caseCode}`}>
              <td>{p.agencyCode}</td>
              <td>
                <code>{p.procedureCode}</code>
              </td>
              <td>{p.caseCode || '—'}</td>
              <td>{p.isoCode ?? '—'}</td>
              <td>{p.name ?? ''}</td>
              <td>{t('stepsSummary', { n: p.steps.length, h: totalHours(p) })}</td>
              <td className="muted">
                {when(p.updatedAt)} {p.updatedBy ?? ''}
              </td>
              <td>
                <button type="button" className="secondary" onClick={() => void open(p)}>
                  {writer ? t('edit') : t('open')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
