// A witness summary: its sections (profile, consent, incidents with what the witness saw and
// suffered, perpetrators, injuries, documents), each free-text field with its numbered references
// ("[n]" in the text links to the passage in the coding workspace; the list under the field
// quotes it, with its object and span); editing while it is a draft or changes are requested;
// the review workflow (submit, request changes, approve, comment, reopen) as the reader's roles
// and the status allow, the server's refusal shown as it gives it (four eyes: whoever wrote or
// edited a summary cannot review it); versions and their differences; PDF and DOCX exports.
//
// The server names people by their user ids in its messages and diffs; `people` maps the ids
// this summary knows to usernames, and the page shows those instead.

import { Fragment, useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';

import { ApiError, CONSENT_STATES, SCOPES, contentUrl, hasAnyRole, type ConsentState, type User } from '../api';
import * as cases from '../cases';
import {
  EXPORT_FORMATS,
  SUMMARY_REVIEWERS,
  SUMMARY_WRITERS,
  codingHref,
  incidentHref,
  summariesHref,
  summaryHref,
  type ExportFormat,
  type SummaryAction,
  type SummaryEdit,
  type SummaryExport,
  type SummaryText,
  type SummaryVersion,
  type WitnessSummary,
} from '../cases';
import {
  DataTable,
  Fact,
  Field,
  LiveNotice,
  LoadError,
  Loading,
  PageHeading,
  SelectField,
  TextAreaField,
  describeError,
  type NoticeState,
} from '../components';
import { formatBytes, formatTime } from '../format';
import { useI18n, type Translate } from '../i18n';
import { useHashParams, witnessHref } from '../router';
import { StatusBadge, sensitivityLabel, statusLabel } from './Summaries';
import { CitedTextField, References, referenceWhere } from './SummaryReferences';
import { ConsentBadge, ageBandLabel, genderLabel, listText } from './Witnesses';
import '../cases.css';

/** `text` with every user id this summary knows replaced by the username. */
export function withNames(text: string, people: Record<string, string>): string {
  let out = text;
  for (const [id, name] of Object.entries(people)) if (id) out = out.split(id).join(name);
  return out;
}

function personName(s: WitnessSummary, id: string): string {
  return s.people[id] ?? id;
}

/** A failure in the reader's language, or the server's own words (409: what the workflow says). */
function failureText(e: unknown, t: Translate, s: WitnessSummary | null): string {
  if (e instanceof ApiError && (e.status === 409 || e.status === 400) && e.message) {
    return t('summary.refused', { message: s ? withNames(e.message, s.people) : e.message });
  }
  return describeError(e, t);
}

const EDITABLE = ['draft', 'changes-requested'];

/** The sections a comment may name, in the order of the summary. */
function sections(s: WitnessSummary): string[] {
  return ['', 'profile', 'consent', 'incidents', ...s.incidents.map((_, i) => `incident ${i + 1}`), 'perpetrators', 'injuries', 'documents'];
}

function sectionLabel(t: Translate, section: string): string {
  if (section === '') return t('summary.section.whole');
  const n = /^incident (\d+)$/.exec(section);
  if (n) return t('summary.section.incident', { n: n[1] });
  switch (section) {
    case 'profile':
      return t('summary.profile');
    case 'consent':
      return t('summary.consent');
    case 'incidents':
      return t('summary.incidents');
    case 'perpetrators':
      return t('summary.perpetrators');
    case 'injuries':
      return t('summary.injuries');
    case 'documents':
      return t('summary.documents');
    default:
      return section;
  }
}

export function SummaryPage({ id, user }: { id: string; user: User }) {
  const { t } = useI18n();
  const params = useHashParams();
  const versionParam = Number(params.get('version'));
  const asked = Number.isInteger(versionParam) && versionParam > 0 ? versionParam : null;
  const [summary, setSummary] = useState<WitnessSummary | null>(null);
  const [newest, setNewest] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [stale, setStale] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  // The section the comment form names, when a section's "Comment" button chose it.
  const [commentOn, setCommentOn] = useState<{ section: string; at: number } | null>(null);

  const load = useCallback(async () => {
    try {
      const s = await cases.getSummary(id, asked);
      setSummary(s);
      setError(null);
      setStale(false);
      if (asked === null) setNewest(s.version);
      else setNewest((await cases.summaryHistory(id)).versions.reduce((m, v) => Math.max(m, v.version), 0));
    } catch (e) {
      setError(e);
    }
  }, [id, asked]);

  useEffect(() => {
    setSummary(null);
    setEditing(null);
    void load();
  }, [load]);

  /** A change answered with the new version; `done` says what happened. */
  const changed = (s: WitnessSummary, done: string) => {
    setSummary(s);
    setNewest(s.version);
    setEditing(null);
    setStale(false);
    setNotice({ kind: 'success', text: done });
    if (asked !== null) window.location.hash = summaryHref(s.id);
  };
  const refused = (e: unknown) => {
    setStale(e instanceof ApiError && e.status === 409 && /reload/i.test(e.message));
    setNotice({ kind: 'error', text: failureText(e, t, summary) });
  };

  const title = summary ? t('summary.title', { code: summary.witness_code }) : t('summary.titleLoading');
  const latest = summary !== null && (asked === null || asked === newest);
  const writer = hasAnyRole(user, SUMMARY_WRITERS);
  const mayEdit = summary !== null && latest && writer && EDITABLE.includes(summary.status);

  return (
    <>
      <PageHeading>{title}</PageHeading>
      <p>
        <a href={summariesHref()}>{t('summary.back')}</a>
        {summary ? (
          <>
            {' · '}
            <a href={witnessHref(summary.witness_code)}>{t('summary.toWitness', { code: summary.witness_code })}</a>
          </>
        ) : null}
      </p>
      {error ? (
        <LoadError error={error} />
      ) : !summary ? (
        <Loading />
      ) : (
        <>
          {!latest ? (
            <p className="notice notice-info" data-testid="older-version">
              {t('summary.olderVersion', { version: summary.version, newest: newest ?? '…' })}{' '}
              <a href={summaryHref(summary.id)}>{t('summary.toNewest')}</a>
            </p>
          ) : null}
          <SummaryFacts s={summary} />
          <div className="summary-notice">
            <LiveNotice notice={notice} />
            {stale ? (
              <div className="actions">
                <button type="button" onClick={() => void load().then(() => setNotice({ kind: 'info', text: t('summary.reloaded') }))}>
                  {t('summary.reload')}
                </button>
              </div>
            ) : null}
          </div>
          {latest ? (
            <Workflow
              s={summary}
              user={user}
              commentOn={commentOn}
              onChanged={changed}
              onRefused={refused}
            />
          ) : null}

          <SummarySections
            s={summary}
            mayEdit={mayEdit}
            mayComment={latest && summary.status !== 'approved'}
            editing={editing}
            onEdit={(section) => {
              setNotice(null);
              setEditing(section);
            }}
            onCancel={() => setEditing(null)}
            onComment={(section) => setCommentOn({ section, at: Date.now() })}
            onSave={async (edit) => {
              try {
                const s = await cases.updateSummary(summary.id, summary.version, edit);
                changed(s, t('summary.savedVersion', { version: s.version }));
              } catch (e) {
                refused(e);
              }
            }}
          />
          {!mayEdit && latest && writer ? (
            <p className="help" data-testid="edit-closed">
              {t('summary.editClosed')}
            </p>
          ) : null}

          <Exports s={summary} onExported={() => void load()} />
          <History s={summary} newest={newest ?? summary.version} />
        </>
      )}
    </>
  );
}

function SummaryFacts({ s }: { s: WitnessSummary }) {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="summary-facts-heading">
      <h2 id="summary-facts-heading">{t('summary.facts')}</h2>
      <dl className="facts">
        <Fact term={t('summaries.status')} testId="summary-status">
          <StatusBadge status={s.status} />
        </Fact>
        <Fact term={t('summaries.colVersion')} testId="summary-version">
          {s.version}
        </Fact>
        <Fact term={t('summary.witness')}>
          <a href={witnessHref(s.witness_code)}>{s.witness_code}</a>
        </Fact>
        <Fact term={t('summaries.colAuthor')}>{personName(s, s.author)}</Fact>
        <Fact term={t('summary.editors')}>{s.editors.map((e) => personName(s, e)).join(', ') || '—'}</Fact>
        <Fact term={t('summaries.colReviewer')}>{s.reviewer ? personName(s, s.reviewer) : '—'}</Fact>
        <Fact term={t('summaries.colSensitivity')}>{sensitivityLabel(t, s.sensitivity)}</Fact>
        <Fact term={t('summary.lastChange')}>
          {t('summary.change', {
            change: changeLabel(t, s.change),
            by: personName(s, s.changed_by),
          })}{' '}
          <time dateTime={s.changed_at}>{formatTime(s.changed_at, lang)}</time>
        </Fact>
        {s.approved_at ? (
          <Fact term={t('summary.approvedAt')}>
            <time dateTime={s.approved_at}>{formatTime(s.approved_at, lang)}</time>
          </Fact>
        ) : null}
      </dl>
    </section>
  );
}

function changeLabel(t: Translate, change: string): string {
  switch (change) {
    case 'drafted':
      return t('summary.changed.drafted');
    case 'edited':
      return t('summary.changed.edited');
    case 'submitted':
      return t('summary.changed.submitted');
    case 'changes-requested':
      return t('summary.changed.changesRequested');
    case 'approved':
      return t('summary.changed.approved');
    case 'commented':
      return t('summary.changed.commented');
    case 'reopened':
      return t('summary.changed.reopened');
    default:
      return change;
  }
}

// ---------------------------------------------------------------------------------------------
// The workflow

function Workflow({
  s,
  user,
  commentOn,
  onChanged,
  onRefused,
}: {
  s: WitnessSummary;
  user: User;
  commentOn: { section: string; at: number } | null;
  onChanged: (s: WitnessSummary, done: string) => void;
  onRefused: (e: unknown) => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [section, setSection] = useState('');
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const writer = hasAnyRole(user, SUMMARY_WRITERS);
  const reviewer = hasAnyRole(user, SUMMARY_REVIEWERS);

  useEffect(() => {
    if (!commentOn) return;
    setSection(commentOn.section);
    textRef.current?.focus();
  }, [commentOn]);

  const act = async (action: SummaryAction, withComment: boolean) => {
    if (withComment && !text.trim()) {
      setNotice({ kind: 'error', text: action === 'request-changes' ? t('summary.sayWhatToChange') : t('summary.commentNeeded') });
      textRef.current?.focus();
      return;
    }
    setBusy(true);
    setNotice(null);
    try {
      const next = withComment
        ? await cases.summaryTransition(s.id, action, s.version, section, text.trim())
        : await cases.summaryTransition(s.id, action, s.version);
      if (withComment) setText('');
      onChanged(next, doneText(t, action, next));
    } catch (e) {
      onRefused(e);
    } finally {
      setBusy(false);
    }
  };

  const buttons: ReactNode[] = [];
  if (writer && EDITABLE.includes(s.status)) {
    buttons.push(
      <button key="submit" type="button" disabled={busy} onClick={() => act('submit', false)}>
        {s.status === 'draft' ? t('summary.submit') : t('summary.resubmit')}
      </button>,
    );
  }
  if (reviewer && s.status === 'in-review') {
    buttons.push(
      <button key="approve" type="button" disabled={busy} onClick={() => act('approve', false)}>
        {t('summary.approve')}
      </button>,
    );
  }
  if (writer && s.status === 'approved') {
    buttons.push(
      <button key="reopen" type="button" className="button-secondary" disabled={busy} onClick={() => act('reopen', false)}>
        {t('summary.reopen')}
      </button>,
    );
  }

  return (
    <section aria-labelledby="workflow-heading" className="panel workflow">
      <h2 id="workflow-heading">{t('summary.workflow')}</h2>
      <p>
        {t('summary.nowStatus')} <StatusBadge status={s.status} /> {t(`summary.next.${statusKey(s.status)}`)}
      </p>
      {buttons.length > 0 ? <div className="actions">{buttons}</div> : null}
      {reviewer ? <p className="help">{t('summary.fourEyes')}</p> : null}
      {s.status !== 'approved' ? (
        <form className="comment-form" onSubmit={(e: FormEvent) => e.preventDefault()} noValidate aria-labelledby="comment-heading">
          <h3 id="comment-heading">{reviewer && s.status === 'in-review' ? t('summary.reviewHeading') : t('summary.commentHeading')}</h3>
          <div className="form-grid">
            <SelectField
              id="comment-section"
              label={t('summary.commentSection')}
              options={sections(s)}
              optionLabel={(x) => sectionLabel(t, x)}
              value={section}
              onChange={(e) => setSection(e.target.value)}
            />
            <TextAreaField
              id="comment-text"
              ref={textRef}
              label={t('summary.commentText')}
              rows={3}
              maxLength={20000}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          <div className="actions">
            {reviewer && s.status === 'in-review' ? (
              <button type="button" disabled={busy} onClick={() => act('request-changes', true)}>
                {t('summary.requestChanges')}
              </button>
            ) : null}
            <button type="button" className="button-secondary" disabled={busy} onClick={() => act('comment', true)}>
              {t('summary.addComment')}
            </button>
          </div>
          <LiveNotice notice={notice} />
        </form>
      ) : null}
    </section>
  );
}

function statusKey(status: string): 'draft' | 'inReview' | 'changesRequested' | 'approved' {
  if (status === 'in-review') return 'inReview';
  if (status === 'changes-requested') return 'changesRequested';
  if (status === 'approved') return 'approved';
  return 'draft';
}

function doneText(t: Translate, action: SummaryAction, s: WitnessSummary): string {
  const vars = { version: s.version, status: statusLabel(t, s.status) };
  switch (action) {
    case 'submit':
      return t('summary.done.submit', vars);
    case 'request-changes':
      return t('summary.done.requestChanges', vars);
    case 'approve':
      return t('summary.done.approve', vars);
    case 'reopen':
      return t('summary.done.reopen', vars);
    default:
      return t('summary.done.comment', vars);
  }
}

// ---------------------------------------------------------------------------------------------
// The sections

function SummarySections({
  s,
  mayEdit,
  mayComment,
  editing,
  onEdit,
  onCancel,
  onComment,
  onSave,
}: {
  s: WitnessSummary;
  mayEdit: boolean;
  mayComment: boolean;
  editing: string | null;
  onEdit: (section: string) => void;
  onCancel: () => void;
  onComment: (section: string) => void;
  onSave: (edit: SummaryEdit) => Promise<void>;
}) {
  const { t } = useI18n();
  const tools = (section: string, editable: boolean) => (
    <SectionTools
      s={s}
      section={section}
      mayEdit={mayEdit && editable && editing === null}
      mayComment={mayComment}
      onEdit={() => onEdit(section)}
      onComment={() => onComment(section)}
    />
  );
  const p = s.profile;
  const c = s.consent;
  return (
    <div className="summary-sections">
      <section aria-labelledby="summary-profile-heading" className="summary-section" data-section="profile">
        <h2 id="summary-profile-heading">{t('summary.profileN')}</h2>
        <dl className="facts">
          <Fact term={t('summary.witness')}>{s.witness_code}</Fact>
          <Fact term={t('witness.gender')}>{genderLabel(t, p.gender)}</Fact>
          <Fact term={t('witness.ageBand')}>{ageBandLabel(t, p.age_band)}</Fact>
          <Fact term={t('witness.country')}>{p.country || '—'}</Fact>
          <Fact term={t('witness.languages')}>{listText(p.languages)}</Fact>
        </dl>
        {tools('profile', false)}
      </section>

      <section aria-labelledby="summary-consent-heading" className="summary-section" data-section="consent">
        <h2 id="summary-consent-heading">{t('summary.consentN')}</h2>
        <dl className="facts">
          <Fact term={t('summary.consentAsOf')}>{c.as_of || '—'}</Fact>
          <Fact term={t('witnesses.colConsent')}>
            {(CONSENT_STATES as readonly string[]).includes(c.state) ? <ConsentBadge state={c.state as ConsentState} /> : c.state || '—'}
          </Fact>
          <Fact term={t('consent.version')}>{c.version ? `v${c.version}` : '—'}</Fact>
          <Fact term={t('consent.scopes')}>
            {listText(c.scopes, (x) => ((SCOPES as readonly string[]).includes(x) ? t(`scope.${x}` as `scope.${(typeof SCOPES)[number]}`) : x))}
          </Fact>
          <Fact term={t('consent.givenOn')}>{c.given_on || '—'}</Fact>
          <Fact term={t('consent.renewBy')}>{c.renew_by || '—'}</Fact>
          <Fact term={t('consent.withdrawnOn')}>{c.withdrawn_on || '—'}</Fact>
        </dl>
        {tools('consent', false)}
      </section>

      <section aria-labelledby="summary-incidents-heading" className="summary-section" data-section="incidents">
        <h2 id="summary-incidents-heading">{t('summary.incidentsN')}</h2>
        {s.incidents.length === 0 ? <p className="muted">{t('summary.noIncidents')}</p> : null}
        {tools('incidents', false)}
        {s.incidents.map((inc, i) => {
          const section = `incident ${i + 1}`;
          return (
            <section key={i} aria-labelledby={`summary-incident-${i + 1}`} className="summary-incident" data-section={section}>
              <h3 id={`summary-incident-${i + 1}`}>
                {t('summary.incidentHeading', { n: i + 1, title: inc.title || '—' })}
              </h3>
              <p className="muted">
                {inc.date ? `${t('summary.incidentDate')}: ${inc.date}` : t('summary.noDate')}
                {inc.incident_id ? (
                  <>
                    {' · '}
                    <a href={incidentHref(inc.incident_id)}>{t('summary.openIncident')}</a>
                  </>
                ) : null}
              </p>
              {editing === section ? (
                <IncidentEditForm s={s} index={i} onCancel={onCancel} onSave={onSave} />
              ) : (
                <>
                  <TextView id={`incident-${i + 1}-saw`} label={t('summary.saw')} field={inc.saw} />
                  <TextView id={`incident-${i + 1}-suffered`} label={t('summary.suffered')} field={inc.suffered} />
                  {tools(section, true)}
                </>
              )}
            </section>
          );
        })}
      </section>

      {(['perpetrators', 'injuries'] as const).map((key) => (
        <section key={key} aria-labelledby={`summary-${key}-heading`} className="summary-section" data-section={key}>
          <h2 id={`summary-${key}-heading`}>{key === 'perpetrators' ? t('summary.perpetratorsN') : t('summary.injuriesN')}</h2>
          {editing === key ? (
            <TextEditForm
              id={`edit-${key}`}
              summaryId={s.id}
              label={key === 'perpetrators' ? t('summary.perpetrators') : t('summary.injuries')}
              field={s[key]}
              onCancel={onCancel}
              onSave={(field) => onSave({ [key]: field })}
            />
          ) : (
            <>
              <TextView id={key} label={key === 'perpetrators' ? t('summary.perpetrators') : t('summary.injuries')} field={s[key]} hideLabel />
              {tools(key, true)}
            </>
          )}
        </section>
      ))}

      <section aria-labelledby="summary-documents-heading" className="summary-section" data-section="documents">
        <h2 id="summary-documents-heading">{t('summary.documentsN')}</h2>
        {s.documents.length === 0 ? (
          <p className="muted">{t('summary.noDocuments')}</p>
        ) : (
          <ol className="documents-list">
            {s.documents.map((d, i) => (
              <li key={d.object_id}>
                <span className="ref-label">[D{i + 1}]</span> {d.title || '—'}
                <br />
                <span className="muted">
                  {t('cases.object')} <code>{d.object_id}</code> · SHA-256 <code className="hex">{d.object_sha256}</code>
                </span>
              </li>
            ))}
          </ol>
        )}
        {tools('documents', false)}
      </section>

      <section aria-labelledby="summary-comments-heading" className="summary-section" data-section="">
        <h2 id="summary-comments-heading">{t('summary.commentsHeading')}</h2>
        <Comments s={s} section="" emptyText={t('summary.noComments')} />
      </section>
    </div>
  );
}

/** A section's comments and its buttons: edit, comment. */
function SectionTools({
  s,
  section,
  mayEdit,
  mayComment,
  onEdit,
  onComment,
}: {
  s: WitnessSummary;
  section: string;
  mayEdit: boolean;
  mayComment: boolean;
  onEdit: () => void;
  onComment: () => void;
}) {
  const { t } = useI18n();
  const label = sectionLabel(t, section);
  return (
    <>
      <Comments s={s} section={section} />
      {mayEdit || mayComment ? (
        <div className="actions section-actions">
          {mayEdit ? (
            <button type="button" className="button-secondary button-small" onClick={onEdit} aria-label={`${t('summary.edit')}: ${label}`}>
              {t('summary.edit')}
            </button>
          ) : null}
          {mayComment ? (
            <button type="button" className="button-secondary button-small" onClick={onComment} aria-label={`${t('summary.commentOn')}: ${label}`}>
              {t('summary.commentOn')}
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

function Comments({ s, section, emptyText }: { s: WitnessSummary; section: string; emptyText?: string }) {
  const { t, lang } = useI18n();
  const mine = s.comments.filter((c) => c.section === section);
  if (mine.length === 0) return emptyText ? <p className="muted">{emptyText}</p> : null;
  return (
    <ul className="comments" aria-label={t('summary.commentsOn', { section: sectionLabel(t, section) })}>
      {mine.map((c, i) => (
        <li key={i} className="comment" data-section={section}>
          <p className="comment-by">
            {t('summary.commentBy', { name: personName(s, c.by) })} · <time dateTime={c.at}>{formatTime(c.at, lang)}</time>
          </p>
          <p className="comment-text">{c.text}</p>
        </li>
      ))}
    </ul>
  );
}

/** The text with each "[n]" that names a reference as a link to that passage. */
function MarkedText({ field }: { field: SummaryText }) {
  const { t } = useI18n();
  const pieces: ReactNode[] = [];
  const re = /\[(\d{1,6})\]/g;
  let last = 0;
  for (let m = re.exec(field.text); m !== null; m = re.exec(field.text)) {
    const n = Number(m[1]);
    const ref = field.references[n - 1];
    if (!ref) continue;
    if (m.index > last) pieces.push(<Fragment key={`t${last}`}>{field.text.slice(last, m.index)}</Fragment>);
    pieces.push(
      <a
        key={`r${m.index}`}
        className="ref-marker"
        href={codingHref(ref.object_id, ref.annotation_id)}
        title={ref.passage || referenceWhere(t, ref)}
        aria-label={t('summary.refLink', { n })}
      >
        [{n}]
      </a>,
    );
    last = re.lastIndex;
  }
  if (last < field.text.length) pieces.push(<Fragment key={`t${last}`}>{field.text.slice(last)}</Fragment>);
  return <>{pieces}</>;
}

function TextView({ id, label, field, hideLabel }: { id: string; label: string; field: SummaryText; hideLabel?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="summary-field" data-field={id}>
      <h4 id={`${id}-label`} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </h4>
      {field.text ? (
        <div className="summary-text" data-testid={`text-${id}`} aria-labelledby={`${id}-label`}>
          <MarkedText field={field} />
        </div>
      ) : (
        <p className="muted">{t('summary.empty')}</p>
      )}
      <References id={id} references={field.references} />
    </div>
  );
}

function EditActions({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <div className="actions">
      <button type="submit" disabled={busy}>
        {busy ? t('app.loading') : t('summary.save')}
      </button>
      <button type="button" className="button-secondary" onClick={onCancel}>
        {t('summary.cancel')}
      </button>
    </div>
  );
}

function useFocusFirst() {
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

function TextEditForm({
  id,
  summaryId,
  label,
  field,
  onCancel,
  onSave,
}: {
  id: string;
  summaryId: string;
  label: string;
  field: SummaryText;
  onCancel: () => void;
  onSave: (field: SummaryText) => Promise<void>;
}) {
  const { t } = useI18n();
  const [edited, setEdited] = useState(field);
  const [busy, setBusy] = useState(false);
  const ref = useFocusFirst();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onSave(edited);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate className="summary-edit" aria-label={t('summary.editing', { section: label })}>
      <CitedTextField id={id} summaryId={summaryId} inputRef={ref} label={label} rows={8} field={edited} onChange={setEdited} />
      <EditActions busy={busy} onCancel={onCancel} />
    </form>
  );
}

function IncidentEditForm({
  s,
  index,
  onCancel,
  onSave,
}: {
  s: WitnessSummary;
  index: number;
  onCancel: () => void;
  onSave: (edit: SummaryEdit) => Promise<void>;
}) {
  const { t } = useI18n();
  const inc = s.incidents[index];
  const [title, setTitle] = useState(inc.title);
  const [date, setDate] = useState(inc.date);
  const [saw, setSaw] = useState(inc.saw);
  const [suffered, setSuffered] = useState(inc.suffered);
  const [busy, setBusy] = useState(false);
  const ref = useFocusFirst();
  const n = index + 1;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const incidents = s.incidents.map((x, i) =>
        i === index ? { ...x, title, date, saw, suffered } : x,
      );
      await onSave({ incidents });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate className="summary-edit" aria-label={t('summary.editing', { section: sectionLabel(t, `incident ${n}`) })}>
      <div className="form-grid">
        <Field id={`incident-${n}-title`} ref={ref} label={t('summary.incidentTitle')} type="text" maxLength={500} value={title} onChange={(e) => setTitle(e.target.value)} />
        <Field id={`incident-${n}-date`} label={t('summary.incidentDate')} type="text" maxLength={500} value={date} onChange={(e) => setDate(e.target.value)} />
      </div>
      <CitedTextField id={`incident-${n}-saw-text`} summaryId={s.id} label={t('summary.saw')} rows={5} field={saw} onChange={setSaw} />
      <CitedTextField id={`incident-${n}-suffered-text`} summaryId={s.id} label={t('summary.suffered')} rows={6} field={suffered} onChange={setSuffered} />
      <EditActions busy={busy} onCancel={onCancel} />
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Exports

function exportName(s: WitnessSummary, version: number, format: string): string {
  return `witness-summary-${s.witness_code}-v${version}.${format}`;
}

function Exports({ s, onExported }: { s: WitnessSummary; onExported: () => void }) {
  const { t, lang } = useI18n();
  const approved = s.status === 'approved';
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [watermark, setWatermark] = useState(!approved);
  const [made, setMade] = useState<{ exported: SummaryExport; format: ExportFormat; version: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  useEffect(() => setWatermark(s.status !== 'approved'), [s.status]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setNotice(null);
    setMade(null);
    try {
      const exported = await cases.exportSummary(s.id, s.version, format, watermark || !approved);
      setMade({ exported, format, version: s.version });
      setNotice({ kind: 'success', text: t('summary.exported', { format: format.toUpperCase(), version: s.version }) });
      onExported();
    } catch (err) {
      setNotice({ kind: 'error', text: failureText(err, t, s) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="exports-heading" className="panel">
      <h2 id="exports-heading">{t('summary.exports')}</h2>
      <p className="help">{t('summary.exportsHelp')}</p>
      <form className="filter-form" onSubmit={submit} noValidate>
        <SelectField
          id="export-format"
          label={t('summary.exportFormat')}
          options={EXPORT_FORMATS}
          optionLabel={(f) => f.toUpperCase()}
          value={format}
          onChange={(e) => setFormat(e.target.value as ExportFormat)}
        />
        <div className="field checkbox-field">
          <div>
            <input
              type="checkbox"
              id="export-watermark"
              checked={watermark || !approved}
              disabled={!approved}
              aria-describedby="export-watermark-help"
              onChange={(e) => setWatermark(e.target.checked)}
            />{' '}
            <label htmlFor="export-watermark">{t('summary.watermark')}</label>
          </div>
          <p id="export-watermark-help" className="help">
            {approved ? t('summary.watermarkOptional') : t('summary.watermarkNeeded')}
          </p>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('summary.exporting') : t('summary.export', { version: s.version })}
          </button>
        </div>
      </form>
      <LiveNotice notice={notice} />
      {made ? (
        <p className="export-made" data-testid="export-made">
          <a
            className="button-link"
            href={contentUrl(made.exported.object_id)}
            download={exportName(s, made.version, made.format)}
            data-testid="export-download"
          >
            {t('summary.download', { name: exportName(s, made.version, made.format) })}
          </a>{' '}
          <span className="muted">
            {formatBytes(made.exported.size, lang, t)} · SHA-256 <code className="hex">{made.exported.sha256}</code>
          </span>
        </p>
      ) : null}
      {s.exports.length > 0 ? (
        <>
          <h3>{t('summary.earlierExports')}</h3>
          <ul className="plain-list exports-list">
            {[...s.exports].reverse().map((x) => (
              <li key={x.object_id}>
                <a href={contentUrl(x.object_id)} download={exportName(s, x.version, x.format)}>
                  {exportName(s, x.version, x.format)}
                </a>{' '}
                <span className="muted">
                  <time dateTime={x.at}>{formatTime(x.at, lang)}</time>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Versions and their differences

function History({ s, newest }: { s: WitnessSummary; newest: number }) {
  const { t, lang } = useI18n();
  const [versions, setVersions] = useState<SummaryVersion[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [diff, setDiff] = useState<{ from: number; to: number; text: string } | null>(null);
  const [notice, setNotice] = useState<NoticeState | null>(null);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    cases.summaryHistory(s.id).then(
      (r) => {
        if (cancelled) return;
        setVersions(r.versions);
        const last = r.versions[r.versions.length - 1]?.version ?? 1;
        setTo(String(last));
        setFrom(String(Math.max(1, last - 1)));
      },
      (e) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [open, s.id, newest]);

  const compare = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    try {
      const d = await cases.summaryDiff(s.id, Number(from), Number(to));
      setDiff({ from: d.from, to: d.to, text: withNames(d.diff, s.people) });
    } catch (err) {
      setNotice({ kind: 'error', text: failureText(err, t, s) });
    }
  };

  return (
    <section aria-labelledby="history-heading" className="panel">
      <h2 id="history-heading">{t('summary.history')}</h2>
      {!open ? (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
            {t('summary.showHistory')}
          </button>
        </div>
      ) : error ? (
        <LoadError error={error} />
      ) : !versions ? (
        <Loading />
      ) : (
        <>
          <DataTable
            className="summary-history"
            caption="summary.history"
            columns={[{ label: 'summaries.colVersion', className: 'num' }, 'summaries.status', 'summary.changeCol', 'summary.byCol', 'summaries.colChanged', 'summary.readCol']}
          >
            {[...versions].reverse().map((v) => (
              <tr key={v.version} data-version={v.version}>
                <th scope="row" className="num">
                  v{v.version}
                </th>
                <td>
                  <StatusBadge status={v.status} />
                </td>
                <td>{changeLabel(t, v.change)}</td>
                <td>{v.changed_by}</td>
                <td>
                  <time dateTime={v.changed_at}>{formatTime(v.changed_at, lang)}</time>
                </td>
                <td>
                  {v.version === s.version ? (
                    <span className="muted">{t('summary.shown')}</span>
                  ) : (
                    <a href={summaryHref(s.id, v.version === newest ? undefined : v.version)}>{t('summary.readVersion', { version: v.version })}</a>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          <form className="filter-form" onSubmit={compare} noValidate aria-label={t('summary.compare')}>
            <SelectField
              id="diff-from"
              label={t('summary.diffFrom')}
              options={versions.map((v) => String(v.version))}
              optionLabel={(v) => `v${v}`}
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
            <SelectField
              id="diff-to"
              label={t('summary.diffTo')}
              options={versions.map((v) => String(v.version))}
              optionLabel={(v) => `v${v}`}
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
            <div className="actions">
              <button type="submit">{t('summary.compare')}</button>
            </div>
          </form>
          <LiveNotice notice={notice} />
          {diff ? <DiffView {...diff} /> : null}
        </>
      )}
    </section>
  );
}

/** A unified diff, line by line: removed lines struck through, added ones marked, hunks named. */
function DiffView({ from, to, text }: { from: number; to: number; text: string }) {
  const { t } = useI18n();
  const lines = text.split('\n');
  if (text.trim() === '') {
    return (
      <p className="muted" data-testid="diff">
        {t('summary.noDifference', { from, to })}
      </p>
    );
  }
  return (
    <figure className="diff" data-testid="diff">
      <figcaption>{t('summary.diffCaption', { from, to })}</figcaption>
      <div className="diff-lines">
        {lines.map((line, i) => {
          if (line.startsWith('--- ') || line.startsWith('+++ ')) return null;
          const hunk = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
          if (hunk) {
            return (
              <div key={i} className="diff-hunk">
                {t('summary.diffHunk', { from: hunk[1], to: hunk[3] })}
              </div>
            );
          }
          if (line.startsWith('+')) {
            return (
              <ins key={i} className="diff-line diff-add">
                <span className="diff-sign" aria-hidden="true">
                  +
                </span>
                <span className="visually-hidden">{t('summary.diffAdded')} </span>
                {line.slice(1)}
              </ins>
            );
          }
          if (line.startsWith('-')) {
            return (
              <del key={i} className="diff-line diff-del">
                <span className="diff-sign" aria-hidden="true">
                  −
                </span>
                <span className="visually-hidden">{t('summary.diffRemoved')} </span>
                {line.slice(1)}
              </del>
            );
          }
          if (line === '' && i === lines.length - 1) return null;
          return (
            <div key={i} className="diff-line diff-same">
              <span className="diff-sign" aria-hidden="true">
                {' '}
              </span>
              {line.slice(1)}
            </div>
          );
        })}
      </div>
    </figure>
  );
}
