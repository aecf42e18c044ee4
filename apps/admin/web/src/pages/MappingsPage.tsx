import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type LocalCodeMapping, type Prefill, getJson, send } from '../api';
import { useT } from '../i18n';
import { ConfigMappings } from './ConfigMappings';
import { DeleteButton, ErrorBox, when } from './common';

const EMPTY = { sourceSystem: '', localCode: '', nationalCode: '', agencyCode: '', note: '' };
type Form = typeof EMPTY;

const keyOf = (m: { sourceSystem: string; localCode: string }) => `${m.sourceSystem}/${m.localCode}`;
const pathOf = (m: { sourceSystem: string; localCode: string }) =>
  `/api/mapping/local-codes/${encodeURIComponent(m.sourceSystem)}/${encodeURIComponent(m.localCode)}`;

export function MappingsPage({ writer, prefill }: { writer: boolean; prefill: Prefill }) {
  const t = useT();
  const [filter, setFilter] = useState('');
  const [list, setList] = useState<{ items: LocalCodeMapping[]; total: number; version: string } | null>(
    null,
  );
  const [form, setForm] = useState<Form>({
    ...EMPTY,
    ...Object.fromEntries(Object.entries(prefill ?? {}).map(([k, v]) => [k, v ?? ''])),
  });
  const [confirm, setConfirm] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (q: string) => {
    try {
      setList(
        await getJson<{ items: LocalCodeMapping[]; total: number; version: string }>(
          `/api/mapping/local-codes?version=draft&limit=200${q ? `&q=${encodeURIComponent(q)}` : ''}`,
        ),
      );
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
      await send('PUT', pathOf(form), {
        nationalCode: form.nationalCode.trim(),
        ...(form.agencyCode.trim() ? { agencyCode: form.agencyCode.trim() } : {}),
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
      });
      setNotice(t('saved', { key: keyOf(form) }));
      setForm(EMPTY);
      await load(filter);
    } catch (err) {
      setError(err);
    }
  };

  const remove = async (m: LocalCodeMapping) => {
    setError(null);
    setNotice(null);
    try {
      await send('DELETE', pathOf(m));
      setNotice(t('deleted', { key: keyOf(m) }));
      setConfirm(null);
      await load(filter);
    } catch (err) {
      setError(err);
    }
  };

  const field = (name: keyof Form, required = false) => (
    <label>
      {t(name)}
      <input
        name={name}
        value={form[name]}
        required={required}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
    </label>
  );

  return (
    <>
      <h2>{t('nav.mappings')}</h2>
      {writer && (
        <section className="card">
          <h3>{t('mappingForm')}</h3>
          <form className="row" data-testid="mapping-form" onSubmit={(e) => void save(e)}>
            {field('sourceSystem', true)}
            {field('localCode', true)}
            {field('nationalCode', true)}
            {field('agencyCode')}
            {field('note')}
            <button type="submit">{t('save')}</button>
            <button type="button" className="secondary" onClick={() => setForm(EMPTY)}>
              {t('cancel')}
            </button>
          </form>
        </section>
      )}
      {notice && <div className="msg ok">{notice}</div>}
      <ErrorBox error={error} />
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void load(filter);
        }}
      >
        <input
          name="filter"
          value={filter}
          placeholder={t('code')}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button type="submit" className="secondary">
          {t('filter')}
        </button>
        {list && <span className="muted">{t('mappingsTotal', { n: list.total, v: list.version })}</span>}
      </form>
      <table data-testid="mappings">
        <thead>
          <tr>
            <th>{t('sourceSystem')}</th>
            <th>{t('localCode')}</th>
            <th>{t('nationalCode')}</th>
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
                <code>{m.localCode}</code>
              </td>
              <td>
                <code>{m.nationalCode}</code>
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
                          localCode: m.localCode,
                          nationalCode: m.nationalCode,
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
      <ConfigMappings />
    </>
  );
}
