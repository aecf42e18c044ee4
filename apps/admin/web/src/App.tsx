import { useCallback, useEffect, useMemo, useState } from 'react';
import { type Me, type Prefill, type StatusPrefill, canWrite, getJson, isAdmin, logout } from './api';
import { I18n, type Key, type Lang, savedLang, saveLang, translator } from './i18n';
import { AdaptersPage } from './pages/AdaptersPage';
import { AuditPage } from './pages/AuditPage';
import { CalendarPage } from './pages/CalendarPage';
import { CataloguePage } from './pages/CataloguePage';
import { DeadLettersPage } from './pages/DeadLettersPage';
import { DossierPage } from './pages/DossierPage';
import { MappingsPage } from './pages/MappingsPage';
import { NationalSyncPage } from './pages/NationalSyncPage';
import { ProcessesPage } from './pages/ProcessesPage';
import { PublishPage } from './pages/PublishPage';
import { StatusMappingsPage } from './pages/StatusMappingsPage';
import { TransferPage } from './pages/TransferPage';
import { UnmappedPage } from './pages/UnmappedPage';

const PAGES: { path: string; key: Key }[] = [
  { path: '/', key: 'nav.catalogue' },
  { path: '/mappings', key: 'nav.mappings' },
  { path: '/statuses', key: 'nav.statuses' },
  { path: '/processes', key: 'nav.processes' },
  { path: '/publish', key: 'nav.publish' },
  { path: '/transfer', key: 'nav.transfer' },
  { path: '/unmapped', key: 'nav.unmapped' },
  { path: '/audit', key: 'nav.audit' },
  { path: '/adapters', key: 'nav.adapters' },
  { path: '/national-sync', key: 'nav.nationalSync' },
  { path: '/dossiers', key: 'nav.dossiers' },
  { path: '/dead-letters', key: 'nav.deadLetters' },
  { path: '/calendar', key: 'nav.calendar' },
];

export function App() {
  const [lang, setLang] = useState<Lang>(savedLang);
  const [path, setPath] = useState(location.pathname);
  const [me, setMe] = useState<Me | null>(null);
  const [prefill, setPrefill] = useState<Prefill>(null);
  const [statusPrefill, setStatusPrefill] = useState<StatusPrefill>(null);
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  const t = i18n.t;

  useEffect(() => {
    getJson<Me>('/api/me').then(setMe, () => setMe(null));
  }, []);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('appTitle');
  }, [lang, t]);

  const go = useCallback((to: string) => {
    history.pushState(null, '', to);
    setPath(to);
  }, []);

  const writer = canWrite(me);
  const admin = isAdmin(me);
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0];

  return (
    <I18n.Provider value={i18n}>
      <header className="top">
        <h1>{t('appTitle')}</h1>
        {me && (
          <span className="user" data-testid="user">
            {me.name ?? me.sub} ({me.roles.join(', ')}){writer ? '' : ` · ${t('readOnly')}`}
          </span>
        )}
        <button
          type="button"
          data-testid="lang"
          onClick={() => {
            const next = lang === 'vi' ? 'en' : 'vi';
            saveLang(next);
            setLang(next);
          }}
        >
          {t('switchLang')}
        </button>
        <button type="button" data-testid="logout" onClick={() => void logout()}>
          {t('logout')}
        </button>
      </header>
      <nav className="tabs">
        {PAGES.map((p) => (
          <a
            key={p.path}
            href={p.path}
            className={p === page ? 'active' : ''}
            onClick={(e) => {
              e.preventDefault();
              setPrefill(null);
              setStatusPrefill(null);
              go(p.path);
            }}
          >
            {t(p.key)}
          </a>
        ))}
      </nav>
      <main>
        {me === null ? (
          <p className="muted">{t('loading')}</p>
        ) : page?.path === '/mappings' ? (
          <MappingsPage writer={writer} prefill={prefill} />
        ) : page?.path === '/statuses' ? (
          <StatusMappingsPage writer={writer} prefill={statusPrefill} />
        ) : page?.path === '/processes' ? (
          <ProcessesPage writer={writer} />
        ) : page?.path === '/publish' ? (
          <PublishPage admin={admin} />
        ) : page?.path === '/transfer' ? (
          <TransferPage writer={writer} />
        ) : page?.path === '/unmapped' ? (
          <UnmappedPage
            writer={writer}
            onMap={(p) => {
              setPrefill(p);
              go('/mappings');
            }}
            onMapStatus={(p) => {
              setStatusPrefill(p);
              go('/statuses');
            }}
          />
        ) : page?.path === '/audit' ? (
          <AuditPage />
        ) : page?.path === '/adapters' ? (
          <AdaptersPage admin={admin} />
        ) : page?.path === '/national-sync' ? (
          <NationalSyncPage />
        ) : page?.path === '/dossiers' ? (
          <DossierPage />
        ) : page?.path === '/dead-letters' ? (
          <DeadLettersPage admin={admin} />
        ) : page?.path === '/calendar' ? (
          <CalendarPage admin={admin} />
        ) : (
          <CataloguePage admin={admin} />
        )}
      </main>
    </I18n.Provider>
  );
}
