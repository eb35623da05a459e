import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import * as api from './api';
import { CODING_READERS, CONSENT_GAP_READERS, EVIDENCE_READERS, IMPORTERS, WITNESS_READERS, hasAnyRole, type User } from './api';
import { LanguageSelect, PageHeading, SkipLink } from './components';
import { DISCLOSURE_OFFICERS } from './disclosure';
import { I18nContext, initialLang, rememberLang, translator, useI18n, type I18n, type Lang, type MessageKey } from './i18n';
import { AgreementPage } from './pages/Agreement';
import { AuditPage } from './pages/Audit';
import { CodingPage } from './pages/Coding';
import { ConsentGapsPage } from './pages/ConsentGaps';
import { DashboardPage } from './pages/Dashboard';
import { DisclosuresPage } from './pages/Disclosures';
import { DocumentPage } from './pages/Document';
import { FrameworkPage } from './pages/Framework';
import { ImportPage } from './pages/Import';
import { IncidentPage } from './pages/Incident';
import { IncidentsPage } from './pages/Incidents';
import { InterviewPage } from './pages/Interview';
import { JobsPage } from './pages/Jobs';
import { ObjectsPage } from './pages/Objects';
import { PackagePage } from './pages/Package';
import { RequestPage } from './pages/Request';
import { RequestsPage } from './pages/Requests';
import { SearchPage } from './pages/Search';
import { SecurityPage } from './pages/Security';
import { SignInPage } from './pages/SignIn';
import { SummariesPage } from './pages/Summaries';
import { SummaryPage } from './pages/Summary';
import { UsersPage } from './pages/Users';
import { WitnessPage } from './pages/Witness';
import { WitnessesPage } from './pages/Witnesses';
import { routeHref, useLocation, type Location, type Route } from './router';

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const i18n = useMemo<I18n>(
    () => ({
      lang,
      t: translator(lang),
      setLang: (l: Lang) => {
        rememberLang(l);
        setLangState(l);
      },
    }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // undefined: still asking the server; null: signed out.
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [signInNotice, setSignInNotice] = useState<MessageKey | null>(null);

  const userRef = useRef<User | null | undefined>(undefined);
  userRef.current = user;

  useEffect(() => {
    // Any 401 (the session expired or was ended elsewhere): back to the sign-in page.
    api.onUnauthenticated(() => {
      if (userRef.current) setSignInNotice('signin.ended');
      setUser(null);
    });
    let cancelled = false;
    (async () => {
      try {
        const u = await api.currentSession();
        if (cancelled) return;
        if (u && !api.csrfToken()) {
          // A session without its CSRF token (a new tab, or storage cleared) cannot change
          // anything: end it and sign in afresh.
          try {
            await api.signOut();
          } catch {
            // The server refuses a sign-out without the token; a new sign-in replaces the cookie.
          }
          if (!cancelled) {
            setSignInNotice('signin.lostToken');
            setUser(null);
          }
          return;
        }
        setUser(u);
      } catch {
        if (!cancelled) setUser(null);
      }
    })();
    return () => {
      cancelled = true;
      api.onUnauthenticated(null);
    };
  }, []);

  const signedIn = useCallback((u: User) => {
    setSignInNotice(null);
    setUser(u);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } catch {
      // Signed out locally all the same.
    }
    setSignInNotice('signin.signedOut');
    setUser(null);
    if (window.location.hash !== '#/' && window.location.hash !== '') window.location.hash = '#/';
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      {user === undefined ? (
        <Starting />
      ) : user === null ? (
        <SignInPage onSignedIn={signedIn} notice={signInNotice} />
      ) : (
        <Workspace user={user} onUserChanged={setUser} onSignOut={signOut} />
      )}
    </I18nContext.Provider>
  );
}

function Starting() {
  const { t } = useI18n();
  return (
    <main id="main" className="starting">
      <p role="status">{t('app.loading')}</p>
    </main>
  );
}

const COMING: MessageKey[] = ['nav.osint'];

function Workspace({
  user,
  onUserChanged,
  onSignOut,
}: {
  user: User;
  onUserChanged: (u: User) => void;
  onSignOut: () => void;
}) {
  const { t } = useI18n();
  const location = useLocation();
  // A witness's page, and their interviews', documents' and coding workspaces, belong under Witnesses.
  const route: Route = ['witness', 'interview', 'document', 'coding'].includes(location.route) ? 'witnesses' : location.route;
  // An incident's and a summary's page belong under their lists.
  const section: Route =
    route === 'incident' ? 'incidents' : route === 'summary' ? 'summaries' : route === 'request' || route === 'package' ? 'requests' : route;
  const isAdmin = hasAnyRole(user, ['administrator']);
  const isAuditor = hasAnyRole(user, ['administrator', 'auditor']);
  const readsEvidence = hasAnyRole(user, EVIDENCE_READERS);
  const readsCoding = hasAnyRole(user, CODING_READERS);

  const links: { route: Parameters<typeof routeHref>[0]; label: MessageKey; show: boolean }[] = [
    { route: 'dashboard', label: 'nav.dashboard', show: true },
    { route: 'search', label: 'nav.search', show: readsEvidence },
    { route: 'objects', label: 'nav.objects', show: readsEvidence },
    { route: 'witnesses', label: 'nav.witnesses', show: hasAnyRole(user, WITNESS_READERS) },
    { route: 'consent-gaps', label: 'nav.consentGaps', show: hasAnyRole(user, CONSENT_GAP_READERS) },
    { route: 'incidents', label: 'nav.incidents', show: hasAnyRole(user, CODING_READERS) },
    { route: 'summaries', label: 'nav.summaries', show: hasAnyRole(user, CODING_READERS) },
    { route: 'requests', label: 'nav.requests', show: hasAnyRole(user, DISCLOSURE_OFFICERS) },
    { route: 'disclosures', label: 'nav.disclosures', show: hasAnyRole(user, DISCLOSURE_OFFICERS) },
    { route: 'import', label: 'nav.import', show: hasAnyRole(user, IMPORTERS) },
    // Everyone who codes or reads codings reads the framework; administrators edit it.
    { route: 'framework', label: 'nav.codingFramework', show: readsCoding || isAdmin },
    { route: 'agreement', label: 'nav.agreement', show: readsCoding },
    { route: 'jobs', label: 'nav.jobs', show: readsEvidence },
    { route: 'users', label: 'nav.users', show: isAdmin },
    { route: 'audit', label: 'nav.audit', show: isAuditor },
  ];

  return (
    <>
      <SkipLink />
      <header className="site-header">
        <div className="header-top">
          <a className="brand" href={routeHref('dashboard')}>
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span>{t('app.name')}</span>
          </a>
          <nav className="account-nav" aria-label={t('nav.account')}>
            <span className="signed-in-as">{t('nav.signedInAs', { name: user.username })}</span>
            <a href={routeHref('security')} aria-current={route === 'security' ? 'page' : undefined}>
              {t('nav.security')}
            </a>
            <button type="button" className="button-secondary" onClick={onSignOut}>
              {t('nav.signOut')}
            </button>
            <LanguageSelect />
          </nav>
        </div>
        <nav className="main-nav" aria-label={t('nav.main')}>
          <ul className="nav-links">
            {links
              .filter((l) => l.show)
              .map((l) => (
                <li key={l.route}>
                  <a href={routeHref(l.route)} aria-current={section === l.route ? 'page' : undefined}>
                    {t(l.label)}
                  </a>
                </li>
              ))}
          </ul>
          <div className="nav-coming">
            <span className="nav-coming-label" id="nav-coming-label">
              {t('nav.coming')}:
            </span>
            <ul aria-labelledby="nav-coming-label">
              {COMING.map((key) => (
                <li key={key}>
                  <span role="link" aria-disabled="true" className="coming-item" title={t('nav.comingTitle')}>
                    {t(key)} <span className="coming-badge">({t('nav.comingMark')})</span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Page location={location} user={user} onUserChanged={onUserChanged} />
      </main>
      <footer className="site-footer">
        <p>
          {t('app.name')} — {t('app.tagline')}
        </p>
      </footer>
    </>
  );
}

function Page({
  location,
  user,
  onUserChanged,
}: {
  location: Location;
  user: User;
  onUserChanged: (u: User) => void;
}) {
  const { t } = useI18n();
  // key: a page starts afresh when one opens it again from the navigation.
  switch (location.route) {
    case 'dashboard':
      return <DashboardPage key="dashboard" user={user} />;
    case 'objects':
      return <ObjectsPage key="objects" user={user} />;
    case 'witnesses':
      return <WitnessesPage key="witnesses" user={user} />;
    case 'witness':
      return <WitnessPage key={`witness:${location.param}`} code={location.param} user={user} />;
    case 'interview':
      return <InterviewPage key={`interview:${location.param}`} id={location.param} user={user} />;
    case 'document':
      return <DocumentPage key={`document:${location.param}`} id={location.param} user={user} />;
    case 'coding':
      return <CodingPage key={`coding:${location.param}`} id={location.param} user={user} />;
    case 'framework':
      return <FrameworkPage key="framework" user={user} />;
    case 'agreement':
      return <AgreementPage key="agreement" />;
    case 'search':
      return <SearchPage key="search" />;
    case 'incidents':
      return <IncidentsPage key="incidents" user={user} />;
    case 'incident':
      return <IncidentPage key={`incident:${location.param}`} id={location.param} user={user} />;
    case 'summaries':
      return <SummariesPage key="summaries" user={user} />;
    case 'summary':
      return <SummaryPage key={`summary:${location.param}`} id={location.param} user={user} />;
    case 'requests':
      return <RequestsPage key="requests" user={user} />;
    case 'request':
      return <RequestPage key={`request:${location.param}`} id={location.param} user={user} />;
    case 'package':
      return <PackagePage key={`package:${location.param}`} id={location.param} user={user} />;
    case 'disclosures':
      return <DisclosuresPage key="disclosures" user={user} />;
    case 'jobs':
      return <JobsPage key="jobs" />;
    case 'import':
      return <ImportPage key="import" />;
    case 'consent-gaps':
      return <ConsentGapsPage key="consent-gaps" />;
    case 'users':
      return <UsersPage key="users" />;
    case 'audit':
      return <AuditPage key="audit" />;
    case 'security':
      return <SecurityPage key="security" user={user} onUserChanged={onUserChanged} />;
    default:
      return (
        <>
          <PageHeading>{t('error.pageNotFound')}</PageHeading>
          <p>
            <a href={routeHref('dashboard')}>{t('nav.dashboard')}</a>
          </p>
        </>
      );
  }
}
