import { ApiError } from '../api';
import { useT } from '../i18n';

/** An API error as a message, with the problem's field errors listed. */
export function ErrorBox({ error }: { error: unknown }) {
  const t = useT();
  if (error === null || error === undefined) {
    return null;
  }
  const api = error instanceof ApiError ? error : null;
  const text =
    api?.status === 403 ? t('forbidden') : error instanceof Error ? error.message : JSON.stringify(error);
  return (
    <div className="msg err" role="alert">
      {t('error')}: {text}
      {api && api.errors.length > 0 && (
        <ul>
          {api.errors.map((e, i) => (
            <li key={i}>
              {e.field}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) {
    return <span className="muted">—</span>;
  }
  return <pre>{JSON.stringify(value, null, 1)}</pre>;
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString('vi-VN') : '—';
}
