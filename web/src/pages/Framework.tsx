// The coding framework: its codes as a tree, labels and definitions in the reader's language,
// exported as JSON or CSV. Administrators add codes, edit their words in English, Belarusian and
// Russian, restrict, retire and reinstate them, and import a whole framework (JSON) or a CSV of
// edits after a dry run that shows what would change. Every change names the version it was made
// to; a change made meanwhile by someone else is refused (409) and the page offers to reload.

import { useCallback, useMemo, useState, type FormEvent } from 'react';

import * as api from '../api';
import {
  ApiError,
  DIFF_KINDS,
  FRAMEWORK_EDITORS,
  hasAnyRole,
  type CodeEdit,
  type FrameworkAnswer,
  type FrameworkCheck,
  type FrameworkCode,
  type FrameworkDiff,
  type Texts,
  type User,
} from '../api';
import { codeLabel, codeTree, filterTree, inLang } from '../coding';
import {
  Field,
  LiveNotice,
  LoadError,
  Loading,
  NoRightsPage,
  PageHeading,
  SelectField,
  TextAreaField,
  describeError,
  isForbidden,
  useLoad,
  useSubmit,
  type NoticeState,
} from '../components';
import { formatTime } from '../format';
import { LANGS, LANG_NAMES, useI18n, type Lang, type Translate } from '../i18n';
import { searchHref } from '../router';

export function FrameworkPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { data, error, reload } = useLoad(useCallback(() => api.getFramework(), []));
  const editor = hasAnyRole(user, FRAMEWORK_EDITORS);
  // What the last change did, shown above the tree after the reload.
  const [notice, setNotice] = useState<NoticeState | null>(null);

  if (isForbidden(error)) return <NoRightsPage title={t('framework.title')} />;
  return (
    <>
      <PageHeading>{t('framework.title')}</PageHeading>
      <p>{t(editor ? 'framework.introEditor' : 'framework.intro')}</p>
      {error ? (
        <LoadError error={error} />
      ) : data === null ? (
        <Loading />
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>{t('framework.version')}</dt>
              <dd data-testid="framework-version">{data.framework.version}</dd>
            </div>
            <div>
              <dt>{t('framework.storedBy')}</dt>
              <dd>
                {data.stored_by && data.stored_at
                  ? t('framework.storedByAt', { who: data.stored_by, at: formatTime(data.stored_at, lang) })
                  : t('framework.shipped')}
              </dd>
            </div>
          </dl>
          <div className="actions">
            <a className="button-link" href={api.frameworkExportUrl('json')} download>
              {t('framework.exportJson')}
            </a>
            <a className="button-link" href={api.frameworkExportUrl('csv')} download>
              {t('framework.exportCsv')}
            </a>
          </div>
          <LiveNotice notice={notice} />
          <Tree answer={data} editor={editor} onChanged={reload} onNotice={setNotice} />
          {editor ? (
            <>
              <AddCode answer={data} onChanged={reload} />
              <ImportFramework answer={data} onChanged={reload} onNotice={setNotice} />
            </>
          ) : null}
        </>
      )}
    </>
  );
}

/** What a change did, in a sentence ("added: a; relabelled: b"). */
function diffText(t: Translate, diff: FrameworkDiff | undefined): string {
  if (!diff) return '';
  return DIFF_KINDS.filter((k) => diff[k].length > 0)
    .map((k) => `${t(`framework.diff.${k}`)}: ${diff[k].join(', ')}`)
    .join('; ');
}

/** A failure of a change: a stale version asks for a reload. */
function changeError(t: Translate, e: unknown): string {
  if (e instanceof ApiError && e.status === 409) return t('framework.stale', { message: e.message });
  return describeError(e, t);
}

interface Changes {
  answer: FrameworkAnswer;
  onChanged: () => Promise<void>;
  onNotice: (n: NoticeState | null) => void;
}

// ---------------------------------------------------------------------------------------------
// The tree

function Tree({ answer, editor, onChanged, onNotice }: Changes & { editor: boolean }) {
  const { t, lang } = useI18n();
  const codes = answer.framework.codes;
  const [filter, setFilter] = useState('');
  const [showRetired, setShowRetired] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const rows = useMemo(() => codeTree(codes), [codes]);
  const shown = useMemo(
    () => filterTree(rows, filter, lang).filter((r) => showRetired || !r.code.retired),
    [rows, filter, lang, showRetired],
  );
  const retired = codes.filter((c) => c.retired).length;

  return (
    <section aria-labelledby="framework-tree-heading">
      <h2 id="framework-tree-heading">{t('framework.codes', { n: codes.length })}</h2>
      <div className="filter-form">
        <Field
          id="framework-filter"
          label={t('framework.filter')}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          autoComplete="off"
        />
        {retired > 0 ? (
          <div className="checkbox-field">
            <input id="framework-show-retired" type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} />
            <label htmlFor="framework-show-retired">{t('framework.showRetired', { n: retired })}</label>
          </div>
        ) : null}
      </div>
      {shown.length === 0 ? (
        <p className="muted">{t('coding.noCodeMatches')}</p>
      ) : (
        <ul className="framework-tree" data-testid="framework-tree">
          {shown.map((r) => (
            <li
              key={r.code.id}
              className={`framework-code code-depth-${Math.min(r.depth, 5)}${r.code.retired ? ' framework-code-retired' : ''}${r.match ? '' : ' code-option-context'}`}
              data-code-id={r.code.id}
            >
              <div className="framework-code-head">
                <strong className="framework-code-label">{codeLabel(r.code, lang)}</strong> <code className="code-id">{r.code.id}</code>
                {r.code.restricted ? <span className="badge badge-restricted">{t('coding.restricted')}</span> : null}
                {r.code.retired ? <span className="badge badge-erased">{t('framework.retired')}</span> : null}
                <span className="muted framework-revision">{t('framework.revision', { n: r.code.revision })}</span>
              </div>
              {inLang(r.code.definitions, lang) ? <p className="framework-definition">{inLang(r.code.definitions, lang)}</p> : null}
              <div className="framework-code-actions">
                <a href={searchHref({ q: `code:${r.code.id}` })}>{t('framework.findPassages')}</a>
                {editor ? (
                  <button
                    type="button"
                    className="button-secondary button-small"
                    aria-expanded={editing === r.code.id}
                    aria-label={t('framework.editLabel', { code: codeLabel(r.code, lang) })}
                    onClick={() => setEditing(editing === r.code.id ? null : r.code.id)}
                  >
                    {t('framework.edit')}
                  </button>
                ) : null}
              </div>
              {editing === r.code.id ? (
                <EditCode
                  key={`${r.code.id}@${r.code.revision}:${r.code.retired}`}
                  code={r.code}
                  answer={answer}
                  onChanged={async () => {
                    setEditing(null);
                    await onChanged();
                  }}
                  onNotice={onNotice}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// A code's words in three languages (shared by adding and editing)

interface Words {
  parent: string;
  label: Texts;
  definition: Texts;
  restricted: boolean;
}

function WordsFields({
  idPrefix,
  words,
  onWords,
  parents,
}: {
  idPrefix: string;
  words: Words;
  onWords: (w: Words) => void;
  parents: FrameworkCode[];
}) {
  const { t, lang } = useI18n();
  const parentLabel = new Map(parents.map((c) => [c.id, `${codeLabel(c, lang)} (${c.id})`]));
  const setText = (which: 'label' | 'definition', l: Lang, value: string) => onWords({ ...words, [which]: { ...words[which], [l]: value } });
  return (
    <>
      <SelectField
        id={`${idPrefix}-parent`}
        label={t('framework.parent')}
        options={parents.map((c) => c.id)}
        optionLabel={(id) => parentLabel.get(id) ?? id}
        emptyOption={t('framework.topLevel')}
        value={words.parent}
        onChange={(e) => onWords({ ...words, parent: e.target.value })}
      />
      {LANGS.map((l) => (
        <fieldset key={l} className="wide-fieldset code-words" lang={l}>
          <legend>{LANG_NAMES[l]}</legend>
          <div className="form-grid">
            <Field
              id={`${idPrefix}-label-${l}`}
              label={t('framework.label', { language: LANG_NAMES[l] })}
              type="text"
              required={l === 'en'}
              value={words.label[l]}
              onChange={(e) => setText('label', l, e.target.value)}
            />
            <TextAreaField
              id={`${idPrefix}-definition-${l}`}
              label={t('framework.definition', { language: LANG_NAMES[l] })}
              rows={2}
              value={words.definition[l]}
              onChange={(e) => setText('definition', l, e.target.value)}
            />
          </div>
        </fieldset>
      ))}
      <div className="checkbox-field wide-fieldset">
        <input
          id={`${idPrefix}-restricted`}
          type="checkbox"
          checked={words.restricted}
          aria-describedby={`${idPrefix}-restricted-help`}
          onChange={(e) => onWords({ ...words, restricted: e.target.checked })}
        />
        <label htmlFor={`${idPrefix}-restricted`}>{t('framework.restricted')}</label>
        <p id={`${idPrefix}-restricted-help`} className="help">
          {t('framework.restrictedHelp')}
        </p>
      </div>
    </>
  );
}

function EditCode({ code, answer, onChanged, onNotice }: Changes & { code: FrameworkCode }) {
  const { t, lang } = useI18n();
  const [words, setWords] = useState<Words>({
    parent: code.parent,
    label: { ...code.labels },
    definition: { ...code.definitions },
    restricted: code.restricted,
  });
  const { busy, notice, setNotice, run } = useSubmit();
  // A code cannot move under itself or its descendants.
  const parents = useMemo(() => {
    const below = new Set([code.id]);
    for (const r of codeTree(answer.framework.codes)) if (below.has(r.code.parent)) below.add(r.code.id);
    return codeTree(answer.framework.codes)
      .map((r) => r.code)
      .filter((c) => !below.has(c.id) && !c.retired);
  }, [answer, code.id]);
  const prefix = `edit-${code.id.replace(/[^a-z0-9-]/g, '_')}`;

  const send = (retired: boolean) =>
    run(
      async () => {
        const edit: CodeEdit = { id: code.id, ...words, retired, revision: code.revision };
        const r = await api.editCode(answer.framework.version, edit);
        onNotice({ kind: 'success', text: t('framework.changed', { version: r.framework.version, what: diffText(t, r.diff) || t('framework.nothingChanged') }) });
        await onChanged();
      },
      (e) => setNotice({ kind: 'error', text: changeError(t, e) }),
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!words.label.en.trim()) {
      setNotice({ kind: 'error', text: t('framework.labelNeeded') });
      document.getElementById(`${prefix}-label-en`)?.focus();
      return;
    }
    void send(code.retired);
  };

  return (
    <form className="form-grid panel code-form" onSubmit={submit} noValidate aria-label={t('framework.editLabel', { code: codeLabel(code, lang) })}>
      <WordsFields idPrefix={prefix} words={words} onWords={setWords} parents={parents} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('framework.save')}
        </button>
        {code.retired ? (
          <button type="button" className="button-secondary" disabled={busy} onClick={() => void send(false)}>
            {t('framework.reinstate')}
          </button>
        ) : (
          <button type="button" className="button-danger" disabled={busy} onClick={() => void send(true)}>
            {t('framework.retire')}
          </button>
        )}
      </div>
      <p className="help wide-fieldset">{t('framework.editHelp')}</p>
      <LiveNotice notice={notice} className="wide-fieldset" />
      {notice?.kind === 'error' ? <ReloadButton onReload={onChanged} /> : null}
    </form>
  );
}

function ReloadButton({ onReload }: { onReload: () => Promise<void> }) {
  const { t } = useI18n();
  return (
    <div className="actions wide-fieldset">
      <button type="button" className="button-secondary" onClick={() => void onReload()}>
        {t('coding.reload')}
      </button>
    </div>
  );
}

const EMPTY_TEXTS: Texts = { en: '', be: '', ru: '' };

function AddCode({ answer, onChanged }: Omit<Changes, 'onNotice'>) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [words, setWords] = useState<Words>({ parent: '', label: { ...EMPTY_TEXTS }, definition: { ...EMPTY_TEXTS }, restricted: false });
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const parents = useMemo(() => codeTree(answer.framework.codes).map((r) => r.code).filter((c) => !c.retired), [answer]);
  const id = words.parent ? `${words.parent}.${name.trim()}` : name.trim();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name.trim())) return showError(t('framework.nameInvalid'), 'new-code-name');
    if (!words.label.en.trim()) return showError(t('framework.labelNeeded'), 'new-code-label-en');
    await run(
      async () => {
        const r = await api.addCode(answer.framework.version, { id, ...words });
        setName('');
        setWords({ parent: words.parent, label: { ...EMPTY_TEXTS }, definition: { ...EMPTY_TEXTS }, restricted: false });
        setNotice({ kind: 'success', text: t('framework.added', { id, version: r.framework.version }) });
        await onChanged();
      },
      (e) => setNotice({ kind: 'error', text: changeError(t, e) }),
    );
  };

  return (
    <section className="panel" aria-labelledby="add-code-heading">
      <h2 id="add-code-heading">{t('framework.addHeading')}</h2>
      <form className="form-grid" onSubmit={submit} noValidate>
        <WordsFields idPrefix="new-code" words={words} onWords={setWords} parents={parents} />
        <Field
          id="new-code-name"
          label={t('framework.name')}
          help={t('framework.nameHelp', { id: words.parent ? `${words.parent}.${name.trim() || '…'}` : name.trim() || '…' })}
          type="text"
          value={name}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setName(e.target.value.toLowerCase())}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('framework.add')}
          </button>
        </div>
        <LiveNotice notice={notice} className="wide-fieldset" />
      </form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Import with a dry run

function ImportFramework({ answer, onChanged, onNotice }: Changes) {
  const { t } = useI18n();
  const [content, setContent] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [format, setFormat] = useState<'json' | 'csv'>('json');
  const [check, setCheck] = useState<{ result: FrameworkCheck; basedOn: number } | null>(null);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = async (file: File | undefined) => {
    setCheck(null);
    setNotice(null);
    if (!file) {
      setContent(null);
      return;
    }
    setFileName(file.name);
    if (/\.csv$/i.test(file.name)) setFormat('csv');
    else if (/\.json$/i.test(file.name)) setFormat('json');
    try {
      setContent(await file.text());
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    }
  };

  const dryRun = async (e: FormEvent) => {
    e.preventDefault();
    if (content === null) {
      setNotice({ kind: 'error', text: t('framework.fileNeeded') });
      document.getElementById('import-file')?.focus();
      return;
    }
    setBusy(true);
    setNotice(null);
    try {
      const basedOn = answer.framework.version;
      setCheck({ result: await api.checkFramework(basedOn, format, content), basedOn });
    } catch (err) {
      setCheck(null);
      setNotice({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!check || content === null) return;
    setBusy(true);
    setNotice(null);
    try {
      const r = await api.importFramework(check.basedOn, format, content);
      setCheck(null);
      setContent(null);
      setFileName('');
      const input = document.getElementById('import-file') as HTMLInputElement | null;
      if (input) input.value = '';
      onNotice({ kind: 'success', text: t('framework.imported', { version: r.framework.version, what: diffText(t, r.diff) || t('framework.nothingChanged') }) });
      await onChanged();
    } catch (err) {
      setNotice({ kind: 'error', text: changeError(t, err) });
    } finally {
      setBusy(false);
    }
  };

  const result = check?.result;
  const changes = result ? DIFF_KINDS.filter((k) => result.diff[k].length > 0) : [];
  return (
    <section className="panel" aria-labelledby="import-framework-heading">
      <h2 id="import-framework-heading">{t('framework.importHeading')}</h2>
      <p className="help">{t('framework.importHelp')}</p>
      <form className="form-grid" onSubmit={dryRun} noValidate>
        <div className="field">
          <label htmlFor="import-file">{t('framework.importFile')}</label>
          <input id="import-file" type="file" accept=".json,.csv,application/json,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
        </div>
        <SelectField
          id="import-format"
          label={t('framework.importFormat')}
          options={['json', 'csv'] as const}
          optionLabel={(f) => t(`framework.format.${f}`)}
          value={format}
          onChange={(e) => {
            setFormat(e.target.value === 'csv' ? 'csv' : 'json');
            setCheck(null);
          }}
        />
        <div className="actions">
          <button type="submit" className="button-secondary" disabled={busy}>
            {t('framework.dryRun')}
          </button>
          <button type="button" disabled={busy || !result || !result.acceptable} onClick={() => void apply()}>
            {t('framework.apply')}
          </button>
        </div>
        <LiveNotice notice={notice} className="wide-fieldset" />
      </form>
      {result ? (
        <div className="framework-diff" data-testid="framework-diff" data-acceptable={result.acceptable}>
          <h3>{t('framework.diffHeading', { file: fileName, version: result.version })}</h3>
          {result.acceptable ? null : (
            <p className="notice notice-error" role="alert">
              {t('framework.notAcceptable', { problem: result.problem })}
            </p>
          )}
          {changes.length === 0 ? (
            <p>{t('framework.nothingChanged')}</p>
          ) : (
            <dl className="facts">
              {changes.map((k) => (
                <div key={k} data-diff={k}>
                  <dt>{t(`framework.diff.${k}`)}</dt>
                  <dd>
                    {result.diff[k].map((id) => (
                      <code key={id} className="code-id diff-id">
                        {id}
                      </code>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      ) : null}
    </section>
  );
}
