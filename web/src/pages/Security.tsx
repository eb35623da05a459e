import { useEffect, useRef, useState, type FormEvent } from 'react';

import * as api from '../api';
import { ApiError, type TotpEnrolment, type User } from '../api';
import { CodeField, Fact, LiveNotice, PageHeading, SubmitActions, useSubmit } from '../components';
import { useI18n } from '../i18n';

/** The base32 secret of an otpauth:// URI (its `secret=` parameter). */
export function totpSecret(uri: string): string {
  try {
    const s = new URL(uri).searchParams.get('secret');
    if (s) return s;
  } catch {
    // Fall back to a plain search below.
  }
  const m = /[?&]secret=([^&]+)/i.exec(uri);
  return m ? decodeURIComponent(m[1]) : '';
}

function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function SecurityPage({ user, onUserChanged }: { user: User; onUserChanged: (u: User) => void }) {
  const { t } = useI18n();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const { busy, notice, setNotice, showError, fail, run } = useSubmit();
  const [enabled, setEnabled] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const totpOn = enabled || user.totp === true;

  useEffect(() => {
    if (enrolment) codeRef.current?.focus();
  }, [enrolment]);

  const start = async () => {
    setEnabled(false);
    await run(async () => {
      setEnrolment(await api.beginTotp());
      setCode('');
    });
  };

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim();
    if (!/^\d{6}$/.test(c)) return showError(t('security.codeFormat'), 'totp-code');
    await run(
      async () => {
        await api.confirmTotp(c);
        setEnrolment(null);
        setEnabled(true);
        setNotice({ kind: 'success', text: t('security.enabled') });
        try {
          const u = await api.currentSession();
          if (u) onUserChanged(u);
        } catch {
          // The notice above says it is on; the header refreshes at the next sign-in.
        }
      },
      (err) => {
        if (err instanceof ApiError && err.code === 'wrong_code') {
          setCode('');
          showError(t('security.wrongCode'), 'totp-code');
        } else if (err instanceof ApiError && err.status === 409) {
          showError(t('security.notStarted'));
          setEnrolment(null);
        } else {
          fail(err);
        }
      },
    );
  };

  const secret = enrolment ? totpSecret(enrolment.otpauth_uri) : '';

  return (
    <>
      <PageHeading>{t('security.title')}</PageHeading>

      <section aria-labelledby="sec-account" className="panel">
        <h2 id="sec-account">{t('security.account')}</h2>
        <dl className="facts">
          <Fact term={t('security.username')}>{user.username}</Fact>
          <Fact term={t('security.home')}>{user.organisation}</Fact>
          <Fact term={t('security.roles')}>
            {user.roles.length === 0 ? (
              '—'
            ) : (
              <ul className="plain-list">
                {user.roles.map((g) => (
                  <li key={`${g.organisation}/${g.role}`}>
                    {t(`role.${g.role}`)} — {g.organisation}
                  </li>
                ))}
              </ul>
            )}
          </Fact>
        </dl>
      </section>

      <section aria-labelledby="sec-totp" className="panel">
        <h2 id="sec-totp">{t('security.totpHeading')}</h2>
        <p data-testid="totp-state">{totpOn ? t('security.totpOn') : t('security.totpOff')}</p>
        <LiveNotice notice={notice} />
        {!enrolment ? (
          <div className="actions">
            <button type="button" onClick={start} disabled={busy}>
              {totpOn ? t('security.restart') : t('security.start')}
            </button>
          </div>
        ) : (
          <div className="enrolment">
            <p>{t('security.scan')}</p>
            <img className="qr" src={svgDataUrl(enrolment.qr_svg)} alt={t('security.qrAlt')} width="220" height="220" />
            <div className="field">
              <label htmlFor="totp-secret">{t('security.secret')}</label>
              <output id="totp-secret" className="secret" data-secret={secret}>
                {grouped(secret)}
              </output>
              <p className="help">{t('security.secretWarning')}</p>
            </div>
            <form onSubmit={confirm} className="form-stack">
              <p>{t('security.enterCode')}</p>
              <CodeField id="totp-code" ref={codeRef} label={t('security.code')} value={code} onCode={setCode} />
              <SubmitActions busy={busy}>{t('security.confirm')}</SubmitActions>
            </form>
          </div>
        )}
      </section>
    </>
  );
}
