import { useEffect, useId, useRef, type ComponentProps, type MouseEvent, type ReactNode } from 'react';

import { ApiError } from './api';
import { LANG_NAMES, LANGS, isLang, useI18n, type Translate } from './i18n';

/** The language switcher: a labelled <select>; the choice is remembered. */
export function LanguageSelect() {
  const { lang, t, setLang } = useI18n();
  const id = useId();
  return (
    <div className="language">
      <label htmlFor={id}>{t('app.language')}</label>
      <select
        id={id}
        value={lang}
        onChange={(e) => {
          if (isLang(e.target.value)) setLang(e.target.value);
        }}
      >
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}

// The first page after loading keeps the browser's focus (so the first Tab reaches the skip
// link); a page opened after that moves the focus to its heading.
let firstPageShown = false;

/** A page's <h1>; it takes the focus when the page opens, so screen readers announce it. */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstPageShown) ref.current?.focus();
    firstPageShown = true;
  }, []);
  useEffect(() => {
    const text = ref.current?.textContent;
    if (text) document.title = `${text} — Evidence Hub`;
  });
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}

/** A person-readable message for an API failure, in the reader's language where we know it. */
export function describeError(e: unknown, t: Translate): string {
  if (e instanceof ApiError) {
    switch (e.code) {
      case 'network':
        return t('error.network');
      case 'forbidden':
        return t('error.notAllowed');
      case 'csrf':
        return t('error.csrf');
      case 'not_found':
        return t('error.notFound');
      case 'erased':
        return t('error.erased');
      case 'no_space':
        return t('error.noSpace');
      case 'too_large':
        return t('error.tooLarge');
      case 'throttled':
        return t('signin.throttled');
      case 'unauthenticated':
        return t('signin.ended');
      default:
        if (e.status === 413) return t('error.tooLarge');
        return e.message ? t('error.generic', { message: e.message }) : t('error.generic', { message: e.code });
    }
  }
  return t('error.generic', { message: e instanceof Error ? e.message : String(e) });
}

/** A refusal for lack of rights shows this and nothing else. */
export function isForbidden(e: unknown): boolean {
  return e instanceof ApiError && e.status === 403 && e.code !== 'csrf';
}

export function NoRights() {
  const { t } = useI18n();
  return (
    <p className="notice notice-error" role="alert">
      {t('error.noRights')}
    </p>
  );
}

/** A page that could not load: only the "no rights" notice for a refusal, else what went wrong. */
export function LoadError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (isForbidden(error)) return <NoRights />;
  return <LiveNotice notice={{ kind: 'error', text: describeError(error, t) }} />;
}

export type NoticeKind = 'info' | 'success' | 'error';
export interface NoticeState {
  kind: NoticeKind;
  text: string;
}

/**
 * A live region that always exists, so that a screen reader announces what appears in it:
 * errors assertively, progress and success politely.
 */
export function LiveNotice({ notice, className }: { notice: NoticeState | null; className?: string }) {
  return (
    <div className={className}>
      <div role="alert" aria-live="assertive">
        {notice && notice.kind === 'error' ? <p className="notice notice-error">{notice.text}</p> : null}
      </div>
      <div role="status" aria-live="polite">
        {notice && notice.kind !== 'error' ? <p className={`notice notice-${notice.kind}`}>{notice.text}</p> : null}
      </div>
    </div>
  );
}

type FieldProps = ComponentProps<'input'> & { id: string; label: ReactNode; help?: ReactNode };

/** A labelled <input> in a form; a help text under it is also its accessible description. */
export function Field({ id, label, help, ...input }: FieldProps) {
  const helpId = `${id}-help`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={help ? helpId : undefined} {...input} />
      {help ? (
        <p id={helpId} className="help">
          {help}
        </p>
      ) : null}
    </div>
  );
}

/** The 6-digit code from an authenticator app; anything but digits is dropped as it is typed. */
export function CodeField({ onCode, ...props }: Omit<FieldProps, 'onChange'> & { onCode: (code: string) => void }) {
  return (
    <Field
      type="text"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      {...props}
      onChange={(e) => onCode(e.target.value.replace(/\D/g, ''))}
    />
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** A long hex value: abbreviated, monospace, the whole value in a title and for screen readers. */
export function Hex({ value, keep = 12 }: { value: string; keep?: number }) {
  if (value.length <= keep) return <code className="hex">{value}</code>;
  return (
    <code className="hex" title={value}>
      <span aria-hidden="true">{value.slice(0, keep)}…</span>
      <span className="visually-hidden">{value}</span>
    </code>
  );
}

export function SkipLink() {
  const { t } = useI18n();
  // A plain "#main" would be read as a route by the hash router; move the focus instead.
  const skip = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    const main = document.getElementById('main');
    if (main) {
      main.focus();
      main.scrollIntoView();
    }
  };
  return (
    <a className="skip-link" href="#main" onClick={skip}>
      {t('app.skip')}
    </a>
  );
}
