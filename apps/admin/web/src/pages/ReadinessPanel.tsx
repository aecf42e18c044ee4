import type { Readiness } from '../api';
import { type ConsoleKey, type ConsoleTranslate, useConsoleT } from '../console-i18n';
import { Json, when } from './common';

type Level = 'ok' | 'fault' | 'info';

interface Reading {
  level: Level;
  summary: string;
}

const KNOWN = ['database', 'kafka', 'relay', 'forwarder', 'adapters', 'reconciliation'] as const;
type Known = (typeof KNOWN)[number];

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const text = (v: unknown): string =>
  typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);

/** One check of the sync service's /health/ready, read for people: green or red, and a line. */
function read(name: string, c: Record<string, unknown>, t: ConsoleTranslate): Reading {
  switch (name as Known) {
    case 'database':
      return c['ok'] === true
        ? { level: 'ok', summary: t('sum.database') }
        : { level: 'fault', summary: text(c['detail']) };
    case 'kafka':
      return c['ok'] === true
        ? { level: 'ok', summary: t('sum.kafka', { detail: text(c['detail']) }) }
        : { level: 'fault', summary: text(c['detail']) };
    case 'relay': {
      const failing = num(c['consecutiveFailures']) > 0;
      const summary = t('sum.relay', { pending: num(c['outboxPending']), published: num(c['published']) });
      return failing
        ? { level: 'fault', summary: `${summary} — ${text(c['lastError'])}` }
        : { level: 'ok', summary };
    }
    case 'forwarder': {
      const summary = t('sum.forwarder', {
        pending: num(c['pending']),
        failed: num(c['failed']),
        done: num(c['done']),
      });
      return { level: num(c['failed']) > 0 ? 'fault' : 'ok', summary };
    }
    case 'adapters': {
      const sources = Object.values(c) as { status?: string }[];
      if (sources.length === 0) {
        return { level: 'info', summary: t('sum.adaptersNone') };
      }
      const up = sources.filter((s) => s.status === 'up' || s.status === 'disabled').length;
      return {
        level: up === sources.length ? 'ok' : 'fault',
        summary: t('sum.adapters', { up, n: sources.length }),
      };
    }
    case 'reconciliation': {
      const last = c['lastRun'] as
        { finishedAt?: string; matched?: number; mismatched?: number } | null | undefined;
      if (!last) {
        return { level: 'info', summary: t('sum.reconciliationNone') };
      }
      return {
        level: 'info',
        summary: t('sum.reconciliation', {
          at: when(last.finishedAt),
          matched: num(last.matched),
          mismatched: num(last.mismatched),
        }),
      };
    }
    default:
      return typeof c['ok'] === 'boolean'
        ? { level: c['ok'] ? 'ok' : 'fault', summary: text(c['detail']) }
        : { level: 'info', summary: '' };
  }
}

const BADGE: Record<Level, string> = { ok: 'up', fault: 'down', info: '' };

/** The hub's readiness as people read it: each part green or red, a line, and what to do when red. */
export function ReadinessPanel({ ready }: { ready: Readiness }) {
  const t = useConsoleT();
  const label = (name: string) =>
    (KNOWN as readonly string[]).includes(name) ? t(`check.${name}` as ConsoleKey) : name;
  return (
    <section className="card" data-testid="readiness">
      <h3>
        {t('hub')}:{' '}
        <span className={`badge ${ready.status === 'up' ? 'up' : 'down'}`} data-testid="hub-status">
          {ready.status === 'up' ? t('hubUp') : t('hubDown')}
        </span>
      </h3>
      {!ready.reachable && (
        <div className="msg err">
          {t('unreachable')}: {ready.problem}
          <div>
            <strong>{t('whatToDo')}:</strong> {t('todo.unreachable')}
          </div>
        </div>
      )}
      {Object.keys(ready.checks).length > 0 && (
        <table data-testid="readiness-checks">
          <tbody>
            {Object.entries(ready.checks).map(([name, check]) => {
              const r = read(name, check, t);
              return (
                <tr key={name} data-check={name} data-level={r.level}>
                  <th>{label(name)}</th>
                  <td>
                    <span className={`badge ${BADGE[r.level]}`}>{t(r.level)}</span>
                  </td>
                  <td>
                    {r.summary}
                    {r.level === 'fault' && (
                      <div className="msg err">
                        <strong>{t('whatToDo')}:</strong>{' '}
                        {t(
                          ((KNOWN as readonly string[]).includes(name)
                            ? `todo.${name}`
                            : 'todo.other') as ConsoleKey,
                        )}
                      </div>
                    )}
                    <details>
                      <summary className="muted">{t('rawDetails')}</summary>
                      <Json value={check} />
                    </details>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
