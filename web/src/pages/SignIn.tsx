import { useEffect, useRef, useState, type FormEvent } from 'react';

import * as api from '../api';
import { ApiError, type User } from '../api';
import {
  CodeField,
  Field,
  LanguageSelect,
  LiveNotice,
  PageHeading,
  SkipLink,
  SubmitActions,
  describeError,
  type NoticeState,
} from '../components';
import { useI18n, type MessageKey } from '../i18n';

export function SignInPage({ onSignedIn, notice }: { onSignedIn: (u: User) => void; notice: MessageKey | null }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needCode, setNeedCode] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<NoticeState | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (needCode) codeRef.current?.focus();
  }, [needCode]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const user = await api.signIn(username.trim(), password, needCode ? code.trim() : undefined);
      onSignedIn(user);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'totp_required') {
        if (needCode) {
          setError({ kind: 'error', text: t('signin.wrong') });
        } else {
          setNeedCode(true);
          setError({ kind: 'info', text: t('signin.codeNeeded') });
        }
        return;
      }
      if (err instanceof ApiError && err.status === 429) {
        setError({ kind: 'error', text: t('signin.throttled') });
        return;
      }
      if (err instanceof ApiError && err.status === 401) {
        setError({ kind: 'error', text: t('signin.wrong') });
        if (needCode) setCode('');
        return;
      }
      setError({ kind: 'error', text: describeError(err, t) });
    }
  };

  // The notice from before (signed out, session ended) until the person does something.
  const shown: NoticeState | null = error ?? (notice ? { kind: 'info', text: t(notice) } : null);

  return (
    <>
      <SkipLink />
      <header className="site-header signin-header">
        <div className="header-top">
          <span className="brand">
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span>{t('app.name')}</span>
          </span>
          <LanguageSelect />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="signin-main">
        <div className="signin-card">
          <PageHeading>{t('signin.heading')}</PageHeading>
          <p>{t('signin.intro')}</p>
          <LiveNotice notice={shown} />
          <form onSubmit={submit} className="form-stack">
            <Field
              id="signin-username"
              label={t('signin.username')}
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
            <Field
              id="signin-password"
              label={t('signin.password')}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {needCode ? (
              <CodeField
                id="signin-totp"
                ref={codeRef}
                label={t('signin.code')}
                help={t('signin.codeHelp')}
                name="totp"
                value={code}
                onCode={setCode}
              />
            ) : null}
            <SubmitActions busy={busy}>{busy ? t('signin.busy') : t('signin.submit')}</SubmitActions>
          </form>
          <p className="help signin-warning">{t('signin.warning')}</p>
        </div>
      </main>
    </>
  );
}
