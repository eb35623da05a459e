// A disclosure package: its items with the consent gate's decision for the request's recipient
// (a blocked item keeps the gate's own words, and the witnesses whose consent should be renewed
// are listed), each item's redaction and its review, the workflow (submit, request changes,
// approve: never by whoever built or changed it) and the export as a signed bag encrypted to the
// recipient's age key, downloaded from here. Every step is the server's to allow; its refusal is
// shown as it gives it.

import { useCallback, useState, type FormEvent } from 'react';

import { contentUrl, hasAnyRole, type User } from '../api';
import {
  DISCLOSURE_OFFICERS,
  exportPackage,
  exportUrl,
  getPackage,
  itemSpecs,
  lines,
  packageHistory,
  packageStep,
  redactAllTexts,
  redactItem,
  replaceItems,
  requestHref,
  reviewAll,
  reviewRedaction,
  type DisclosurePackage,
  type ExportedPackage,
  type PackageItem,
  type PackageStep,
  type RedactionBox,
} from '../disclosure';
import {
  DataTable,
  Fact,
  LiveNotice,
  LoadError,
  Listed,
  Loading,
  NoRightsPage,
  PageHeading,
  SubmitActions,
  TextAreaField,
  describeError,
  isForbidden,
  useLoad,
  useSubmit,
  type NoticeState,
} from '../components';
import { formatTime } from '../format';
import { useI18n, type MessageKey, type Translate } from '../i18n';
import { witnessHref } from '../router';
import '../cases.css';

export function PackageStateBadge({ state }: { state: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge package-state status-${state}`} data-state={state}>
      {t(`package.state.${state}` as MessageKey)}
    </span>
  );
}

export function PackagePage({ id, user }: { id: string; user: User }) {
  const { t } = useI18n();
  const loaded = useLoad(useCallback(() => getPackage(id), [id]));
  // The gate's decisions and warnings as the package was last built or changed here.
  const [built, setBuilt] = useState<DisclosurePackage | null>(null);
  const title = t('package.title', { production: id });
  if (!hasAnyRole(user, DISCLOSURE_OFFICERS) || isForbidden(loaded.error)) return <NoRightsPage title={title} />;
  if (loaded.error) {
    return (
      <>
        <PageHeading>{title}</PageHeading>
        <LoadError error={loaded.error} />
      </>
    );
  }
  if (!loaded.data) return <Loading />;
  const changed = async (p?: DisclosurePackage) => {
    if (p?.gate) setBuilt(p);
    await loaded.reload();
  };
  return <PackageView p={loaded.data} built={built} onChanged={changed} />;
}

const editable = (p: DisclosurePackage) => p.state === 'draft' || p.state === 'changes-requested';

function PackageView({ p, built, onChanged }: { p: DisclosurePackage; built: DisclosurePackage | null; onChanged: (p?: DisclosurePackage) => Promise<void> }) {
  const { t, lang } = useI18n();
  return (
    <>
      <PageHeading>{t('package.title', { production: p.production })}</PageHeading>
      <p>
        <a href={requestHref(p.request)}>{t('package.forRequest', { id: p.request })}</a>
      </p>
      <section aria-labelledby="package-about-heading">
        <h2 id="package-about-heading">{t('package.about')}</h2>
        <dl className="facts">
          <Fact term={t('package.state')} testId="package-state">
            <PackageStateBadge state={p.state} />
          </Fact>
          <Fact term={t('request.version')}>{p.version}</Fact>
          <Fact term={t('package.editors')}>{p.editors.join(', ')}</Fact>
          <Fact term={t('package.approvedBy')}>{p.approved_by || '—'}</Fact>
          {p.note ? <Fact term={t('package.note')}>{p.note}</Fact> : null}
          <Fact term={t('request.updated')}>
            {p.updated_by} · <time dateTime={p.updated_at}>{formatTime(p.updated_at, lang)}</time>
          </Fact>
        </dl>
      </section>
      <Items p={p} built={built} onChanged={onChanged} />
      {editable(p) ? <EditItems p={p} onChanged={onChanged} /> : null}
      <Workflow p={p} onChanged={onChanged} />
      {p.state === 'approved' || p.state === 'exported' ? <Export p={p} onChanged={onChanged} /> : null}
      <History p={p} />
    </>
  );
}

function gateText(t: Translate, i: PackageItem): string {
  if (!i.gate.allowed) return t('package.blocked', { reason: i.gate.reason });
  return i.witness ? t('package.allowed', { version: i.gate.consent_version }) : t('package.allowedNoWitness');
}

function Items({ p, built, onChanged }: { p: DisclosurePackage; built: DisclosurePackage | null; onChanged: (p?: DisclosurePackage) => Promise<void> }) {
  const { t } = useI18n();
  const [redacting, setRedacting] = useState<number | null>(null);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const blocked = p.items.filter((i) => !i.gate.allowed);
  const renew = [...new Set(blocked.map((i) => i.witness).filter((w) => w))];
  const warned = new Set((built?.id === p.id ? built.gate ?? [] : []).filter((g) => g.warnings.includes('gps')).map((g) => g.object));
  const review = async (n: number, object: string) => {
    setNotice(null);
    try {
      await reviewRedaction(p.id, p.version, object);
      await onChanged();
      setNotice({ kind: 'success', text: t('package.reviewed', { n }) });
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    }
  };
  const redactAll = async () => {
    setNotice(null);
    try {
      const done = await redactAllTexts(p.id, p.version);
      await onChanged();
      setNotice({ kind: 'success', text: t('package.redactedAll', { n: done.redacted.length }) });
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    }
  };
  const confirmAll = async () => {
    setNotice(null);
    try {
      const done = await reviewAll(p.id, p.version);
      await onChanged();
      setNotice({ kind: 'success', text: t('package.reviewedAll', { version: done.version }) });
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    }
  };
  return (
    <section aria-labelledby="package-items-heading">
      <h2 id="package-items-heading">{t('package.gateHeading')}</h2>
      <p role="status" data-testid="gate-summary">
        {t('package.gateSummary', { allowed: p.items.length - blocked.length, n: p.items.length, blocked: blocked.length })}
      </p>
      {renew.length ? (
        <p className="notice notice-info" data-testid="consent-to-renew">
          {t('package.renew', { codes: renew.join(', ') })}
        </p>
      ) : null}
      <LiveNotice notice={notice} />
      {editable(p) ? (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={redactAll}>
            {t('package.redactAll')}
          </button>
          {p.items.some((i) => i.delivered_object && !i.redaction_reviewed_by) ? (
            <button type="button" className="button-secondary" onClick={confirmAll}>
              {t('package.reviewAll')}
            </button>
          ) : null}
        </div>
      ) : null}
      <DataTable
        className="package-items"
        caption="package.gateHeading"
        columns={['package.colItem', 'package.colObject', 'package.colWitness', 'package.colFolder', 'package.colGate', 'package.colRedaction']}
      >
        {p.items.map((i, k) => {
          const n = k + 1;
          return (
            <tr key={i.object} data-object={i.object} data-allowed={i.gate.allowed ? 'yes' : 'no'}>
              <td className="num">{n}</td>
              <td>
                <a href={contentUrl(i.object)} download={i.object}>
                  <code>{i.object.slice(0, 12)}…</code>
                </a>
                <div className="muted">{i.description}</div>
              </td>
              <td>{i.witness ? <a href={witnessHref(i.witness)}>{i.witness}</a> : '—'}</td>
              <td>{i.folder}</td>
              <td className={i.gate.allowed ? undefined : 'gate-blocked'} data-testid={`gate-${n}`}>
                {gateText(t, i)}
                {warned.has(i.object) ? <p className="notice notice-info">{t('package.gps')}</p> : null}
              </td>
              <td>
                {i.delivered_object ? (
                  <>
                    <a href={contentUrl(i.delivered_object)} download={i.delivered_object}>
                      {t('package.redacted')}
                    </a>{' '}
                    <span className="muted">{i.redaction_reviewed_by ? t('package.reviewedBy', { name: i.redaction_reviewed_by }) : t('package.notReviewed')}</span>
                    {!i.redaction_reviewed_by && editable(p) ? (
                      <div className="actions">
                        <button type="button" className="button-secondary button-small" aria-label={t('package.confirmReviewLabel', { n })} onClick={() => review(n, i.object)}>
                          {t('package.confirmReview')}
                        </button>
                      </div>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">{t('package.original')}</span>
                )}
                {editable(p) && i.gate.allowed ? (
                  <div className="actions">
                    <button type="button" className="button-secondary button-small" aria-label={t('package.redactItemLabel', { n })} onClick={() => setRedacting(n)}>
                      {t('package.redactItem')}
                    </button>
                  </div>
                ) : null}
              </td>
            </tr>
          );
        })}
      </DataTable>
      {redacting !== null && p.items[redacting - 1] ? (
        <RedactItem
          key={redacting}
          p={p}
          n={redacting}
          item={p.items[redacting - 1]}
          onDone={async (text) => {
            setRedacting(null);
            await onChanged();
            setNotice({ kind: 'success', text });
          }}
          onCancel={() => setRedacting(null)}
        />
      ) : null}
    </section>
  );
}

/** "PAGE,X,Y,WIDTH,HEIGHT" lines as boxes; the number of the first bad line otherwise. */
export function parseBoxes(text: string): RedactionBox[] | number {
  const boxes: RedactionBox[] = [];
  const all = lines(text);
  for (let k = 0; k < all.length; k++) {
    const v = all[k].split(',').map((x) => Number(x.trim()));
    if (v.length !== 5 || v.some((x) => !Number.isFinite(x)) || !Number.isInteger(v[0])) return k + 1;
    boxes.push({ page: v[0], x: v[1], y: v[2], width: v[3], height: v[4] });
  }
  return boxes;
}

function RedactItem({ p, n, item, onDone, onCancel }: { p: DisclosurePackage; n: number; item: PackageItem; onDone: (text: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n();
  const [boxes, setBoxes] = useState('');
  const { busy, notice, showError, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseBoxes(boxes);
    if (typeof parsed === 'number') return showError(t('package.boxBad', { n: parsed }), 'redact-boxes');
    await run(async () => {
      const done = await redactItem(p.id, item.object, parsed);
      const kinds = [...new Set(done.log.map((l) => l.kind))];
      await onDone(kinds.length ? t('package.redactedLog', { n, what: kinds.join(', ') }) : t('package.redactedNothing', { n }));
    });
  };
  return (
    <section aria-labelledby="redact-heading" className="panel">
      <h3 id="redact-heading">{t('package.redactHeading', { n })}</h3>
      <p className="help">{t('package.redactHelp')}</p>
      <LiveNotice notice={notice} />
      <form onSubmit={submit} noValidate aria-labelledby="redact-heading">
        <div className="form-grid">
          <TextAreaField id="redact-boxes" label={t('package.boxes')} rows={3} spellCheck={false} value={boxes} onChange={(e) => setBoxes(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('app.loading') : t('package.redact')}
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t('summary.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function EditItems({ p, onChanged }: { p: DisclosurePackage; onChanged: (p?: DisclosurePackage) => Promise<void> }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => p.items.map((i) => `${i.object} ${i.folder}`).join('\n'));
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const specs = itemSpecs(text);
    if (specs.length === 0) return showError(t('request.itemsNeeded'), 'package-edit-items');
    await run(async () => {
      const saved = await replaceItems(p.id, p.version, specs);
      await onChanged(saved);
      setNotice({ kind: 'success', text: t('package.itemsSaved', { version: saved.version }) });
    });
  };
  return (
    <details className="panel edit-items">
      <summary>{t('package.editItems')}</summary>
      <LiveNotice notice={notice} />
      <form onSubmit={submit} noValidate>
        <div className="form-grid">
          <TextAreaField id="package-edit-items" label={t('request.items')} help={t('package.editItemsHelp')} rows={6} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <SubmitActions busy={busy}>{t('package.saveItems')}</SubmitActions>
      </form>
    </details>
  );
}

function Workflow({ p, onChanged }: { p: DisclosurePackage; onChanged: (p?: DisclosurePackage) => Promise<void> }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const step = async (s: PackageStep) => {
    if (s === 'changes' && !note.trim()) return showError(t('package.noteNeeded'), 'package-note');
    await run(async () => {
      const done = await packageStep(p.id, p.version, s, note.trim());
      await onChanged();
      const said: Record<PackageStep, MessageKey> = { submit: 'package.submitted', changes: 'package.changesRequested', approve: 'package.approved' };
      setNotice({ kind: 'success', text: t(said[s], { version: done.version }) });
      setNote('');
    });
  };
  // Once approved there is nothing left to do here but to say so, right after the approval.
  if ((p.state === 'approved' || p.state === 'exported') && !notice) return null;
  return (
    <section aria-labelledby="package-workflow-heading" className="panel">
      <h2 id="package-workflow-heading">{t('package.workflow')}</h2>
      <p className="help">{t('package.workflowHelp')}</p>
      <LiveNotice notice={notice} />
      {editable(p) ? (
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => step('submit')}>
            {t('package.submit')}
          </button>
        </div>
      ) : null}
      {p.state === 'in-review' ? (
        <>
          <div className="form-grid">
            <TextAreaField id="package-note" label={t('package.changesNote')} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => step('approve')}>
              {t('package.approve')}
            </button>
            <button type="button" className="button-secondary" disabled={busy} onClick={() => step('changes')}>
              {t('package.requestChanges')}
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}

function Export({ p, onChanged }: { p: DisclosurePackage; onChanged: (p?: DisclosurePackage) => Promise<void> }) {
  const { t } = useI18n();
  const [recipients, setRecipients] = useState('');
  const [made, setMade] = useState<ExportedPackage | null>(null);
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const keys = lines(recipients);
    if (keys.length === 0 || keys.some((k) => !k.startsWith('age1'))) return showError(t('package.recipientsNeeded'), 'package-recipients');
    await run(async () => {
      const done = await exportPackage(p.id, p.version, keys);
      setMade(done);
      await onChanged();
      setNotice({ kind: 'success', text: t('package.exported', { file: done.file, files: done.files, oxum: done.payload_oxum }) });
    });
  };
  return (
    <section aria-labelledby="package-export-heading" className="panel">
      <h2 id="package-export-heading">{t('package.exportHeading')}</h2>
      <LiveNotice notice={notice} />
      {p.state === 'approved' ? (
        <>
          <p className="help">{t('package.exportHelp')}</p>
          <form onSubmit={submit} noValidate aria-labelledby="package-export-heading">
            <div className="form-grid">
              <TextAreaField id="package-recipients" label={t('package.recipients')} rows={2} spellCheck={false} value={recipients} onChange={(e) => setRecipients(e.target.value)} />
            </div>
            <SubmitActions busy={busy}>{busy ? t('app.loading') : t('package.export')}</SubmitActions>
          </form>
        </>
      ) : null}
      {p.exported_file || made ? (
        <p>
          <a className="button-link" href={exportUrl(p.id)} download={made?.file ?? `${p.production}.tar.age`} data-testid="package-download">
            {t('package.download')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function History({ p }: { p: DisclosurePackage }) {
  const { t, lang } = useI18n();
  const loaded = useLoad(useCallback(() => packageHistory(p.id), [p.id, p.version]));
  return (
    <section aria-labelledby="package-history-heading">
      <h2 id="package-history-heading">{t('package.history')}</h2>
      <Listed error={loaded.error} items={loaded.data?.versions} empty="—">
        {(versions) => (
          <DataTable
            className="package-history"
            caption="package.history"
            columns={[
              { label: 'package.colVersion', className: 'num' },
              'package.state',
              { label: 'package.colItems', className: 'num' },
              { label: 'package.colBlocked', className: 'num' },
              'package.colBy',
              'package.colWhen',
            ]}
          >
            {versions.map((v) => (
              <tr key={v.version}>
                <td className="num">{v.version}</td>
                <td>
                  <PackageStateBadge state={v.state} />
                  {v.note ? <div className="muted">{v.note}</div> : null}
                </td>
                <td className="num">{v.items}</td>
                <td className="num">{v.blocked}</td>
                <td>{v.updated_by}</td>
                <td>
                  <time dateTime={v.updated_at}>{formatTime(v.updated_at, lang)}</time>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Listed>
    </section>
  );
}
