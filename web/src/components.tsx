import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type ComponentProps,
  type Dispatch,
  type MouseEvent,
  type ReactNode,
  type SetStateAction,
} from 'react';

import { ApiError } from './api';
import { LANG_NAMES, LANGS, isLang, useI18n, type MessageKey, type Translate } from './i18n';

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

/** A page refused for lack of rights: its heading and the notice, nothing else. */
export function NoRightsPage({ title }: { title: string }) {
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <NoRights />
    </>
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

/** What every labelled field has: the control's id, its label, and an optional help text. */
interface LabelProps {
  id: string;
  label: ReactNode;
  help?: ReactNode;
}

/** A labelled control in a form; a help text under it is also the control's accessible description. */
function LabelledField({
  id,
  label,
  help,
  className = 'field',
  children,
}: LabelProps & { className?: string; children: (describedBy: string | undefined) => ReactNode }) {
  const helpId = `${id}-help`;
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children(help ? helpId : undefined)}
      {help ? (
        <p id={helpId} className="help">
          {help}
        </p>
      ) : null}
    </div>
  );
}

type FieldProps = ComponentProps<'input'> & LabelProps;

/** A labelled <input> in a form; a help text under it is also its accessible description. */
export function Field({ id, label, help, ...input }: FieldProps) {
  return (
    <LabelledField id={id} label={label} help={help}>
      {(describedBy) => <input id={id} aria-describedby={describedBy} {...input} />}
    </LabelledField>
  );
}

/** A labelled <textarea> across the whole width of a form grid. */
export function TextAreaField({ id, label, help, ...textarea }: ComponentProps<'textarea'> & LabelProps) {
  return (
    <LabelledField id={id} label={label} help={help} className="field wide-fieldset">
      {(describedBy) => <textarea id={id} aria-describedby={describedBy} {...textarea} />}
    </LabelledField>
  );
}

interface SelectFieldProps<T extends string> extends Omit<ComponentProps<'select'>, 'children' | 'id'>, LabelProps {
  /** The values offered, in this order. */
  options: readonly T[];
  /** How a value reads; the value itself by default. */
  optionLabel?: (option: T) => ReactNode;
  /** A first option with the value "" ("any", "choose…"), where there is one. */
  emptyOption?: ReactNode;
}

/** A labelled <select> of a list of values. */
export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const { id, label, help, options, optionLabel, emptyOption, ...select } = props;
  return (
    <LabelledField id={id} label={label} help={help}>
      {(describedBy) => (
        <select id={id} aria-describedby={describedBy} {...select}>
          {emptyOption !== undefined ? <option value="">{emptyOption}</option> : null}
          {options.map((o) => (
            <option key={o} value={o}>
              {optionLabel ? optionLabel(o) : o}
            </option>
          ))}
        </select>
      )}
    </LabelledField>
  );
}

/** A <fieldset> of checkboxes, one a value; `onChange` is the checked list's state setter. */
export function CheckboxGroup<T extends string>({
  legend,
  className,
  idPrefix,
  options,
  checked,
  optionLabel,
  onChange,
}: {
  legend: ReactNode;
  className: string;
  /** A checkbox's id is this followed by its value. */
  idPrefix: string;
  options: readonly T[];
  checked: readonly T[];
  optionLabel: (option: T) => ReactNode;
  onChange: Dispatch<SetStateAction<T[]>>;
}) {
  const toggle = (o: T, on: boolean) => onChange((prev) => (on ? [...prev, o] : prev.filter((x) => x !== o)));
  return (
    <fieldset className={className}>
      <legend>{legend}</legend>
      <ul className="checkbox-list">
        {options.map((o) => (
          <li key={o}>
            <input
              type="checkbox"
              id={`${idPrefix}${o}`}
              value={o}
              checked={checked.includes(o)}
              onChange={(e) => toggle(o, e.target.checked)}
            />
            <label htmlFor={`${idPrefix}${o}`}>{optionLabel(o)}</label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** A form's submit button in its row of actions. */
export function SubmitActions({ busy, children }: { busy: boolean; children: ReactNode }) {
  return (
    <div className="actions">
      <button type="submit" disabled={busy}>
        {children}
      </button>
    </div>
  );
}

/**
 * The state of a form that sends something: busy while it runs, and a notice (for a LiveNotice)
 * of what came of it.
 */
export function useSubmit() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  /** An error in the notice; with `focusId`, the focus goes to the field to correct. */
  const showError = (text: string, focusId?: string) => {
    setNotice({ kind: 'error', text });
    if (focusId) document.getElementById(focusId)?.focus();
  };
  /** An API failure in the notice, in the reader's language. */
  const fail = (e: unknown) => showError(describeError(e, t));
  /** Runs `action` busy and with the notice cleared; a failure goes to `onError` (the notice by default). */
  const run = async (action: () => Promise<void>, onError: (e: unknown) => void = fail) => {
    setBusy(true);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, notice, setNotice, showError, fail, run };
}

/** A column heading of a DataTable: its message, or its message and a class ("num" for figures); false for none. */
export type Column = MessageKey | { label: MessageKey; className: string } | false;

/** A table of records: column headings, a caption for screen readers, and the rows as children. */
export function DataTable({
  className,
  caption,
  columns,
  wrap = true,
  children,
}: {
  className?: string;
  caption?: MessageKey;
  columns: readonly Column[];
  /** In a box that scrolls sideways on a narrow screen. */
  wrap?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const table = (
    <table className={className}>
      {caption ? <caption className="visually-hidden">{t(caption)}</caption> : null}
      <thead>
        <tr>
          {columns.map((c, i) => {
            if (c === false) return null;
            const { label, className: thClass } = typeof c === 'string' ? { label: c, className: undefined } : c;
            return (
              <th key={i} scope="col" className={thClass}>
                {t(label)}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  return wrap ? <div className="table-wrap">{table}</div> : table;
}

/** One term and its value in a <dl className="facts">. */
export function Fact({ term, testId, children }: { term: ReactNode; testId?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd data-testid={testId}>{children}</dd>
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

/** What a page or panel fetches when it opens (and again on reload()), with the failure if any. */
export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload: () => Promise<void>;
}

/** Fetches with `fetch` (keep it stable with useCallback); an answer to an older fetch is dropped. */
export function useLoad<T>(fetch: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(fetch);
  const reload = useCallback(async () => {
    latest.current = fetch;
    try {
      const d = await fetch();
      if (latest.current === fetch) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (latest.current === fetch) setError(e);
    }
  }, [fetch]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

/** A list as it loads: what went wrong, "Loading…", the message for none, or the list itself. */
export function Listed<T>({
  error,
  items,
  empty,
  children,
}: {
  error: unknown;
  items: readonly T[] | null | undefined;
  empty: ReactNode;
  children: (items: readonly T[]) => ReactNode;
}) {
  if (error) return <LoadError error={error} />;
  if (!items) return <Loading />;
  if (items.length === 0) return <p>{empty}</p>;
  return <>{children(items)}</>;
}
