// What the interview and document pages share: an object shown as the browser can (a PDF in its
// viewer, an image, a recording in a player), a text read when shown, and a source text beside
// its translations — each marked as made by a machine or a person — with a form for a person's
// translation. Every read goes through the API, which logs it.

import { useCallback, useState, type FormEvent, type ReactNode } from 'react';

import * as api from '../api';
import { TRANSLATION_LANGUAGES, type DerivedText, type EvidenceObject } from '../api';
import { LiveNotice, LoadError, Loading, SelectField, SubmitActions, TextAreaField, useLoad, useSubmit } from '../components';
import { hasMessage, useI18n, type MessageKey, type Translate } from '../i18n';
import { codingHref, routeHref } from '../router';

/** A language code by its name in the reader's language, where we have one. */
export function languageName(t: Translate, code: string): string {
  const key = `language.${code}`;
  return hasMessage(key) ? t(key) : code || '—';
}

/** An object as the browser shows it, told apart by a read of its first bytes. */
export function ObjectViewer({ object, label, codable = false }: { object: EvidenceObject; label: string; codable?: boolean }) {
  const { t } = useI18n();
  const { data: type, error } = useLoad(useCallback(() => api.displayType(object.id), [object.id]));

  if (error) return <LoadError error={error} />;
  if (type === null) return <Loading />;
  const src = api.inlineUrl(object.id);
  // preload="none": a recording is fetched (and the read logged) only when someone plays it.
  let shown: ReactNode;
  // Images and PDF pages are coded by region, recordings by time range, in the coding workspace.
  const coding: MessageKey | null = !codable
    ? null
    : type.startsWith('image/') || type === 'application/pdf'
      ? 'coding.codeRegions'
      : type.startsWith('audio/') || type.startsWith('video/')
        ? 'coding.codeTimes'
        : null;
  if (type === 'application/pdf') {
    shown = <iframe className="document-frame" src={src} title={label} data-testid="document-frame" />;
  } else if (type.startsWith('image/')) {
    shown = <img className="document-image" src={src} alt={label} data-testid="document-image" />;
  } else if (type.startsWith('audio/')) {
    shown = <audio className="player" controls preload="none" src={src} aria-label={label} data-testid="player" />;
  } else if (type.startsWith('video/')) {
    shown = <video className="player" controls preload="none" src={src} aria-label={label} data-testid="player" />;
  } else {
    shown = <p className="notice notice-info">{t('viewer.cannotShow')}</p>;
  }
  return (
    <figure className="viewer" data-display-type={type}>
      {shown}
      <figcaption>
        <a href={api.contentUrl(object.id)} download={object.id} className="button-link">
          {t('viewer.download')}
        </a>
        {coding ? (
          <>
            {' '}
            <a href={codingHref(object.id)} className="button-link">
              {t(coding)}
            </a>
          </>
        ) : null}
      </figcaption>
    </figure>
  );
}

/** A text object's words, read when shown (a binary file says so instead). */
function TextBody({ id, lang }: { id: string; lang?: string }) {
  const { t } = useI18n();
  const { data: text, error } = useLoad(useCallback(() => api.readText(id), [id]));
  if (error) return <LoadError error={error} />;
  if (text === null) return <Loading />;
  // NUL bytes or undecodable sequences: a file that is not plain text.
  if (text.text.includes('\u0000') || text.text.includes('\ufffd')) {
    return <p className="notice notice-info">{t('texts.notText')}</p>;
  }
  return (
    <>
      <pre className="text-body" lang={lang || undefined} tabIndex={0} data-testid="text-body">
        {text.text}
      </pre>
      {text.truncated ? <p className="help">{t('texts.truncated')}</p> : null}
    </>
  );
}

/** Who made a derived text: a machine (which tool) or a person (who). */
export function MadeBy({ text }: { text: DerivedText }) {
  const { t } = useI18n();
  const tool = text.tool_version ? `${text.tool} ${text.tool_version}` : text.tool;
  return text.machine ? (
    <span className="badge badge-machine" data-made-by="machine">
      {t('texts.machine', { tool })}
    </span>
  ) : (
    <span className="badge badge-human" data-made-by="human">
      {t('texts.human', { name: text.by ?? '—' })}
    </span>
  );
}

/** One text in a column, headed by its language and who made it. */
function TextPanel({
  heading,
  id,
  lang,
  badge,
  codable = false,
}: {
  heading: string;
  id: string;
  lang?: string;
  badge?: ReactNode;
  codable?: boolean;
}) {
  const { t } = useI18n();
  return (
    <article className="text-panel" data-text-id={id}>
      <h4>
        {heading} {badge}
        {codable ? (
          <a className="button-link button-small code-link" href={codingHref(id)} aria-label={t('coding.codeTextLabel', { text: heading })}>
            {t('coding.codeText')}
          </a>
        ) : null}
      </h4>
      <TextBody id={id} lang={lang} />
    </article>
  );
}

/**
 * A source beside its translations. The source's words are the text extracted from it (or read
 * by OCR) where there is one, else the object itself (a plain-text transcript is its own text).
 * With `viewer`, the object itself is shown on the left and its text goes with the translations.
 */
export function TextsBeside({
  source,
  texts,
  sourceLanguage,
  canTranslate,
  codable = false,
  viewer,
  onChanged,
}: {
  source: EvidenceObject;
  texts: DerivedText[];
  sourceLanguage: string;
  canTranslate: boolean;
  /** The reader may open the coding workspace: each text gets a link to it. */
  codable?: boolean;
  viewer?: ReactNode;
  onChanged: () => Promise<void>;
}) {
  const { t } = useI18n();
  const extracted = texts.find((x) => x.kind === 'text');
  const textId = extracted ? extracted.id : source.id;
  const language = extracted?.language || sourceLanguage;
  const translations = texts.filter((x) => x.kind === 'translation');
  const original = (
    <TextPanel
      heading={extracted ? t('texts.extracted', { language: languageName(t, language) }) : t('texts.original')}
      id={textId}
      lang={language}
      badge={extracted ? <MadeBy text={extracted} /> : null}
      codable={codable}
    />
  );
  return (
    <div className="texts-beside">
      <div className="texts-column">{viewer ?? original}</div>
      <div className="texts-column">
        {viewer ? original : null}
        {translations.length === 0 ? (
          <p className="help">
            {t('texts.noTranslation')} <a href={routeHref('jobs')}>{t('texts.seeJobs')}</a>
          </p>
        ) : (
          translations.map((x) => (
            <TextPanel
              key={x.id}
              heading={t('texts.translation', { language: languageName(t, x.language) })}
              id={x.id}
              lang={x.language}
              badge={<MadeBy text={x} />}
              codable={codable}
            />
          ))
        )}
        {canTranslate ? <HumanTranslationForm sourceId={textId} sourceLanguage={language} onAdded={onChanged} /> : null}
      </div>
    </div>
  );
}

/** A person's translation of the text beside it; stored as theirs, marked human. */
function HumanTranslationForm({
  sourceId,
  sourceLanguage,
  onAdded,
}: {
  sourceId: string;
  sourceLanguage: string;
  onAdded: () => Promise<void>;
}) {
  const { t } = useI18n();
  const ids = { language: `translate-language-${sourceId}`, text: `translate-text-${sourceId}` };
  const [language, setLanguage] = useState<string>('en');
  const [text, setText] = useState('');
  const { busy, notice, setNotice, showError, run } = useSubmit();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return showError(t('translate.textNeeded'), ids.text);
    await run(async () => {
      const made = await api.addTranslation(sourceId, language, text, sourceLanguage || undefined);
      setText('');
      await onAdded();
      setNotice({ kind: 'success', text: t('translate.added', { language: languageName(t, made.language) }) });
    });
  };

  return (
    <form onSubmit={submit} className="form-grid translate-form" noValidate aria-labelledby={`${ids.text}-heading`}>
      <h4 id={`${ids.text}-heading`} className="wide-fieldset">
        {t('translate.heading')}
      </h4>
      <SelectField
        id={ids.language}
        label={t('translate.language')}
        options={TRANSLATION_LANGUAGES}
        optionLabel={(l) => languageName(t, l)}
        value={language}
        onChange={(e) => setLanguage(e.target.value)}
      />
      <TextAreaField
        id={ids.text}
        label={t('translate.text')}
        help={t('translate.help')}
        rows={6}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <SubmitActions busy={busy}>{busy ? t('app.loading') : t('translate.submit')}</SubmitActions>
      <LiveNotice notice={notice} className="wide-fieldset" />
    </form>
  );
}
