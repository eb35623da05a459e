// A request for assistance: who asked, for what and on which terms; its status, moved only along
// the steps the register allows (a change made from an older version is refused); the letters
// exchanged; the packages that answer it, and the form that builds a new one through the
// consent gate.

import { useCallback, useState, type FormEvent } from 'react';

import { hasAnyRole, type User } from '../api';
import {
  DISCLOSURE_OFFICERS,
  addLetter,
  NEXT_STATUSES,
  buildPackage,
  getRequest,
  itemSpecs,
  letterUrl,
  packageCandidates,
  SOURCE_KINDS,
  listPackages,
  packageHref,
  requestsHref,
  updateRequest,
  type AssistanceRequest,
  type ItemSpec,
  type SourceKind,
  type RequestStatus,
} from '../disclosure';
import {
  DataTable,
  Fact,
  Field,
  LiveNotice,
  LoadError,
  Listed,
  Loading,
  NoRightsPage,
  PageHeading,
  SelectField,
  SubmitActions,
  TextAreaField,
  isForbidden,
  useLoad,
  useSubmit,
} from '../components';
import { formatTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { PackageStateBadge } from './Package';
import { RequestStatusBadge, requestStatusLabel, requesterLabel } from './Requests';
import '../cases.css';

export function RequestPage({ id, user }: { id: string; user: User }) {
  const { t } = useI18n();
  const loaded = useLoad(useCallback(() => getRequest(id), [id]));
  if (!hasAnyRole(user, DISCLOSURE_OFFICERS) || isForbidden(loaded.error)) return <NoRightsPage title={t('request.title', { id })} />;
  if (loaded.error) {
    return (
      <>
        <PageHeading>{t('request.title', { id })}</PageHeading>
        <LoadError error={loaded.error} />
      </>
    );
  }
  if (!loaded.data) return <Loading />;
  return <RequestView r={loaded.data} onChanged={loaded.reload} />;
}

function RequestView({ r, onChanged }: { r: AssistanceRequest; onChanged: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const yesNo = (v: boolean) => (v ? t('request.yes') : t('request.no'));
  const scope = r.scope;
  const scopeLists: [MessageKey, string[]][] = [
    ['requests.incidents', scope.incidents],
    ['requests.persons', scope.persons],
    ['requests.facilities', scope.facilities],
    ['requests.places', scope.places],
    ['requests.periods', scope.periods.map((p) => `${p.from}..${p.to}`)],
    ['requests.violationTypes', scope.violation_types],
    ['requests.restricted', scope.restricted.map((c) => t(`requests.restricted.${c}` as MessageKey))],
  ];
  const scoped = scope.description || scopeLists.some(([, v]) => v.length > 0);
  return (
    <>
      <PageHeading>{t('request.title', { id: r.id })}</PageHeading>
      <p>
        <a href={requestsHref()}>{t('request.back')}</a>
      </p>
      <section aria-labelledby="request-about-heading">
        <h2 id="request-about-heading">{t('request.about')}</h2>
        <dl className="facts">
          <Fact term={t('requests.status')} testId="request-status">
            <RequestStatusBadge status={r.status} />
          </Fact>
          <Fact term={t('request.version')}>{r.version}</Fact>
          <Fact term={t('requests.kind')}>{requesterLabel(t, r.requester.kind)}</Fact>
          <Fact term={t('requests.body')}>{r.requester.body}</Fact>
          <Fact term={t('requests.contact')}>{r.requester.contact || '—'}</Fact>
          <Fact term={t('requests.reference')}>{r.reference || '—'}</Fact>
          <Fact term={t('requests.legalBasis')}>{r.legal_basis || '—'}</Fact>
          <Fact term={t('requests.receivedOn')}>{r.received_on}</Fact>
          <Fact term={t('requests.deadline')}>{r.deadline || '—'}</Fact>
          <Fact term={t('requests.colAssignees')}>{r.assignees.join(', ') || '—'}</Fact>
          <Fact term={t('request.organisation')}>{r.organisation}</Fact>
          <Fact term={t('request.createdBy')}>
            {r.created_by} · <time dateTime={r.created_at}>{formatTime(r.created_at, lang)}</time>
          </Fact>
          <Fact term={t('request.updated')}>
            {r.updated_by} · <time dateTime={r.updated_at}>{formatTime(r.updated_at, lang)}</time>
          </Fact>
        </dl>
      </section>
      <section aria-labelledby="request-scope-heading">
        <h2 id="request-scope-heading">{t('request.scope')}</h2>
        {!scoped ? <p className="muted">{t('request.noScope')}</p> : null}
        {scope.description ? <p className="request-description">{scope.description}</p> : null}
        <dl className="facts">
          {scopeLists
            .filter(([, v]) => v.length > 0)
            .map(([label, v]) => (
              <Fact key={label} term={t(label)}>
                {v.join('; ')}
              </Fact>
            ))}
        </dl>
      </section>
      <section aria-labelledby="request-terms-heading">
        <h2 id="request-terms-heading">{t('request.terms')}</h2>
        <dl className="facts">
          <Fact term={t('requests.confidential')}>{[yesNo(r.terms.confidential), r.terms.confidentiality].filter((x) => x).join(' — ')}</Fact>
          <Fact term={t('requests.onward')}>{[yesNo(r.terms.onward_sharing_allowed), r.terms.onward_sharing].filter((x) => x).join(' — ')}</Fact>
          <Fact term={t('requests.reinterviews')}>{[yesNo(r.terms.minimise_reinterviews), r.terms.reinterviews].filter((x) => x).join(' — ')}</Fact>
          <Fact term={t('requests.agreedOn')}>{r.terms.agreed_on || t('request.notAgreed')}</Fact>
        </dl>
      </section>
      <StatusChange r={r} onChanged={onChanged} />
      <Correspondence r={r} onChanged={onChanged} />
      <Packages r={r} />
    </>
  );
}

function StatusChange({ r, onChanged }: { r: AssistanceRequest; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const next = NEXT_STATUSES[r.status] ?? [];
  const [to, setTo] = useState<RequestStatus | ''>(next[0] ?? '');
  const { busy, notice, setNotice, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to) return;
    await run(async () => {
      const changed = await updateRequest(r.id, r.version, { status: to });
      await onChanged();
      setNotice({ kind: 'success', text: t('request.statusChanged', { status: requestStatusLabel(t, changed.status), version: changed.version }) });
    });
  };
  return (
    <section aria-labelledby="request-status-heading" className="panel">
      <h2 id="request-status-heading">{t('request.statusHeading')}</h2>
      <LiveNotice notice={notice} />
      {next.length === 0 ? (
        <p className="muted">{t('request.final')}</p>
      ) : (
        <form className="filter-form" onSubmit={submit} noValidate>
          <SelectField
            id="request-next-status"
            label={t('request.nextStatus')}
            options={next}
            optionLabel={(s) => requestStatusLabel(t, s)}
            value={to}
            onChange={(e) => setTo(e.target.value as RequestStatus)}
          />
          <SubmitActions busy={busy}>{t('request.changeStatus')}</SubmitActions>
        </form>
      )}
    </section>
  );
}

function Correspondence({ r, onChanged }: { r: AssistanceRequest; onChanged: () => Promise<void> }) {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="request-letters-heading">
      <h2 id="request-letters-heading">{t('request.correspondence')}</h2>
      {r.correspondence.length === 0 ? (
        <p className="muted">{t('request.noCorrespondence')}</p>
      ) : (
        <ul className="letters">
          {r.correspondence.map((c) => (
            <li key={c.object_id} data-letter={c.object_id}>
              {c.on} · {c.label || c.media_type} ({c.direction === 'in' ? t('request.letterIn') : t('request.letterOut')}) ·{' '}
              <a href={letterUrl(r.id, c.object_id)} download={c.object_id}>
                {t('viewer.download')}
              </a>{' '}
              <span className="muted">
                {c.added_by} · <time dateTime={c.added_at}>{formatTime(c.added_at, lang)}</time>
              </span>
            </li>
          ))}
        </ul>
      )}
      <AddLetter r={r} onChanged={onChanged} />
    </section>
  );
}

function AddLetter({ r, onChanged }: { r: AssistanceRequest; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [direction, setDirection] = useState<'in' | 'out'>('in');
  const [on, setOn] = useState('');
  const [label, setLabel] = useState('');
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return showError(t('request.fileNeeded'), 'letter-file');
    await run(async () => {
      const changed = await addLetter(r.id, r.version, file, { direction, on, label: label.trim() });
      await onChanged();
      setNotice({ kind: 'success', text: t('request.letterAdded', { version: changed.version }) });
    });
  };
  return (
    <details className="panel add-letter">
      <summary>{t('request.addLetter')}</summary>
      <LiveNotice notice={notice} />
      <form onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field id="letter-file" label={t('request.letterFile')} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <SelectField
            id="letter-direction"
            label={t('request.letterDirection')}
            options={['in', 'out'] as const}
            optionLabel={(d) => (d === 'in' ? t('request.letterIn') : t('request.letterOut'))}
            value={direction}
            onChange={(e) => setDirection(e.target.value as 'in' | 'out')}
          />
          <Field id="letter-on" label={t('request.letterOn')} type="date" value={on} onChange={(e) => setOn(e.target.value)} />
          <Field id="letter-label" label={t('request.letterLabel')} help={t('request.letterLabelHelp')} type="text" maxLength={200} value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
        <SubmitActions busy={busy}>{t('request.addLetter')}</SubmitActions>
      </form>
    </details>
  );
}

function Packages({ r }: { r: AssistanceRequest }) {
  const { t, lang } = useI18n();
  const listed = useLoad(useCallback(() => listPackages(r.id), [r.id]));
  return (
    <>
      <section aria-labelledby="request-packages-heading">
        <h2 id="request-packages-heading">{t('request.packages')}</h2>
        <Listed error={listed.error} items={listed.data?.packages} empty={t('request.noPackages')}>
          {(packages) => (
            <DataTable className="packages-table" caption="request.packages" columns={['request.colProduction', 'request.colState', 'request.colChanged']}>
              {packages.map((p) => (
                <tr key={p.id} data-package={p.id}>
                  <th scope="row">
                    <a href={packageHref(p.id)}>{p.production}</a>
                  </th>
                  <td>
                    <PackageStateBadge state={p.state} />
                  </td>
                  <td>
                    <time dateTime={p.updated_at}>{formatTime(p.updated_at, lang)}</time>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </Listed>
      </section>
      {r.status !== 'closed' ? <BuildPackage r={r} /> : null}
    </>
  );
}

/** The items of a new package, gathered from sources and ids, then built through the gate. */
function BuildPackage({ r }: { r: AssistanceRequest }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ItemSpec[]>([]);
  const [kind, setKind] = useState<SourceKind>('witness');
  const [value, setValue] = useState('');
  const [ids, setIds] = useState('');
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const add = (more: ItemSpec[]) =>
    setItems((prev) => [...prev, ...more.filter((m) => !prev.some((p) => p.object === m.object))]);
  const fromSource = async (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return showError(t('request.valueNeeded'), 'package-source-value');
    await run(async () => {
      const got = await packageCandidates(kind, value.trim());
      add(got.items);
      const n = got.items.length;
      setNotice({
        kind: 'success',
        text: got.withheld || got.erased ? t('request.addedWithheld', { n, withheld: got.withheld, erased: got.erased }) : t('request.added', { n }),
      });
    });
  };
  const fromIds = (e: FormEvent) => {
    e.preventDefault();
    const specs = itemSpecs(ids);
    add(specs);
    setIds('');
    setNotice({ kind: 'success', text: t('request.added', { n: specs.length }) });
  };
  const build = async () => {
    if (items.length === 0) return showError(t('request.itemsNeeded'));
    await run(async () => {
      const made = await buildPackage(r.id, items);
      window.location.hash = packageHref(made.id);
    });
  };
  return (
    <section aria-labelledby="build-package-heading" className="panel">
      <h2 id="build-package-heading">{t('request.buildHeading')}</h2>
      <p className="help">{t('request.buildHelp')}</p>
      <LiveNotice notice={notice} />
      <form className="filter-form" onSubmit={fromSource} noValidate aria-label={t('request.sourceHeading')}>
        <SelectField
          id="package-source-kind"
          label={t('request.sourceKind')}
          options={SOURCE_KINDS}
          optionLabel={(k) => t(`request.source.${k}` as MessageKey)}
          value={kind}
          onChange={(e) => setKind(e.target.value as SourceKind)}
        />
        <Field id="package-source-value" label={t('request.sourceValue')} type="text" spellCheck={false} value={value} onChange={(e) => setValue(e.target.value)} />
        <SubmitActions busy={busy}>{t('request.addSource')}</SubmitActions>
      </form>
      <form onSubmit={fromIds} noValidate aria-label={t('request.idsHeading')}>
        <div className="form-grid">
          <TextAreaField id="package-ids" label={t('request.ids')} rows={3} spellCheck={false} value={ids} onChange={(e) => setIds(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit" className="button-secondary">
            {t('request.addIds')}
          </button>
        </div>
      </form>
      <h3>{t('request.candidates')}</h3>
      {items.length === 0 ? (
        <p className="muted">{t('request.noCandidates')}</p>
      ) : (
        <DataTable className="candidates-table" caption="request.candidates" columns={['package.colItem', 'package.colObject', 'package.colFolder', 'request.colDescription', false]}>
          {items.map((i, k) => (
            <tr key={i.object} data-object={i.object}>
              <td className="num">{k + 1}</td>
              <td>
                <code>{i.object}</code>
              </td>
              <td>{i.folder || '—'}</td>
              <td>{i.description || '—'}</td>
              <td>
                <button
                  type="button"
                  className="button-secondary button-small"
                  aria-label={t('request.removeLabel', { n: k + 1 })}
                  onClick={() => setItems((prev) => prev.filter((x) => x.object !== i.object))}
                >
                  {t('request.remove')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <div className="actions">
        <button type="button" disabled={busy || items.length === 0} onClick={build}>
          {busy ? t('app.loading') : t('request.build')}
        </button>
      </div>
    </section>
  );
}
