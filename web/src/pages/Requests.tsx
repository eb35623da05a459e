// Requests for assistance: the register (filtered by status, or ordered by deadline, kept in the
// URL: #/requests?status=collecting&view=deadlines) and the form that registers a new request.
// Legal officers and leads only; the server decides per organisation.

import { useCallback, useState, type FormEvent } from 'react';

import { hasAnyRole, type User } from '../api';
import {
  DISCLOSURE_OFFICERS,
  REQUESTER_KINDS,
  REQUEST_STATUSES,
  RESTRICTED_CATEGORIES,
  lines,
  listRequests,
  registerRequest,
  requestHref,
  requestsHref,
  type ListedRequest,
  type RequestInput,
  type RequestStatus,
  type RequesterKind,
} from '../disclosure';
import {
  DataTable,
  Field,
  LiveNotice,
  Listed,
  NoRightsPage,
  PageHeading,
  SelectField,
  SubmitActions,
  TextAreaField,
  isForbidden,
  useLoad,
  useSubmit,
} from '../components';
import { useI18n, type MessageKey, type Translate } from '../i18n';
import { useHashParams } from '../router';
import '../cases.css';

export function requesterLabel(t: Translate, kind: string): string {
  return (REQUESTER_KINDS as readonly string[]).includes(kind) ? t(`requester.${kind}` as MessageKey) : kind;
}

export function requestStatusLabel(t: Translate, status: string): string {
  return (REQUEST_STATUSES as readonly string[]).includes(status) ? t(`request.status.${status}` as MessageKey) : status;
}

export function RequestStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge request-status status-${status}`} data-status={status}>
      {requestStatusLabel(t, status)}
    </span>
  );
}

function deadlineText(t: Translate, r: ListedRequest): string {
  if (!r.deadline) return '—';
  if (r.days_left === undefined) return r.deadline;
  const n = Math.abs(r.days_left);
  const when =
    r.deadline_state === 'overdue' ? t('requests.overdue', { n }) : r.deadline_state === 'due-soon' ? t('requests.dueSoon', { n }) : t('requests.later', { n });
  return `${r.deadline} (${when})`;
}

export function RequestsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const params = useHashParams();
  const statusParam = params.get('status') ?? '';
  const status = (REQUEST_STATUSES as readonly string[]).includes(statusParam) ? (statusParam as RequestStatus) : '';
  const view = params.get('view') === 'deadlines' ? 'deadlines' : '';
  const listed = useLoad(useCallback(() => listRequests({ status, view: view || undefined }), [status, view]));
  const [draftStatus, setDraftStatus] = useState<RequestStatus | ''>(status);
  const [draftView, setDraftView] = useState<'' | 'deadlines'>(view);

  if (!hasAnyRole(user, DISCLOSURE_OFFICERS) || isForbidden(listed.error)) return <NoRightsPage title={t('requests.title')} />;

  const filter = (e: FormEvent) => {
    e.preventDefault();
    window.location.hash = requestsHref({ status: draftStatus, view: draftView });
  };

  return (
    <>
      <PageHeading>{t('requests.title')}</PageHeading>
      <p>{t('requests.intro')}</p>
      <section aria-labelledby="requests-list-heading">
        <h2 id="requests-list-heading">{t('requests.listHeading')}</h2>
        <form className="filter-form" onSubmit={filter} noValidate aria-label={t('requests.filters')}>
          <SelectField
            id="requests-status"
            label={t('requests.status')}
            options={REQUEST_STATUSES}
            optionLabel={(s) => requestStatusLabel(t, s)}
            emptyOption={t('requests.anyStatus')}
            value={draftStatus}
            onChange={(e) => setDraftStatus(e.target.value as RequestStatus | '')}
          />
          <SelectField
            id="requests-view"
            label={t('requests.view')}
            options={['', 'deadlines'] as const}
            optionLabel={(v) => (v ? t('requests.viewDeadlines') : t('requests.viewNewest'))}
            value={draftView}
            onChange={(e) => setDraftView(e.target.value as '' | 'deadlines')}
          />
          <SubmitActions busy={false}>{t('requests.show')}</SubmitActions>
        </form>
        <Listed error={listed.error} items={listed.data?.requests} empty={status || view ? t('requests.noneMatch') : t('requests.none')}>
          {(items) => (
            <DataTable
              className="requests-table"
              caption="requests.listHeading"
              columns={[
                'requests.colId',
                'requests.colRequester',
                'requests.colReference',
                'requests.colReceived',
                'requests.colDeadline',
                'requests.status',
                'requests.colAssignees',
                'requests.colOrganisation',
              ]}
            >
              {items.map((r) => (
                <tr key={r.id} data-request={r.id} data-deadline-state={r.deadline_state}>
                  <th scope="row">
                    <a href={requestHref(r.id)}>{r.id}</a>
                  </th>
                  <td>
                    {requesterLabel(t, r.requester_kind)}
                    {r.body ? ` — ${r.body}` : ''}
                  </td>
                  <td>{r.reference || '—'}</td>
                  <td>{r.received_on}</td>
                  <td className={r.deadline_state === 'overdue' ? 'overdue' : undefined}>{deadlineText(t, r)}</td>
                  <td>
                    <RequestStatusBadge status={r.status} />
                  </td>
                  <td>{r.assignees.join(', ') || '—'}</td>
                  <td>{r.organisation}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </Listed>
      </section>
      <RegisterRequest />
    </>
  );
}

const PERIOD = /^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$/;

function RegisterRequest() {
  const { t } = useI18n();
  const { busy, notice, showError, run } = useSubmit();
  const [kind, setKind] = useState<RequesterKind | ''>('');
  const [body, setBody] = useState('');
  const [contact, setContact] = useState('');
  const [reference, setReference] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [receivedOn, setReceivedOn] = useState('');
  const [deadline, setDeadline] = useState('');
  const [description, setDescription] = useState('');
  const [incidents, setIncidents] = useState('');
  const [persons, setPersons] = useState('');
  const [facilities, setFacilities] = useState('');
  const [places, setPlaces] = useState('');
  const [periods, setPeriods] = useState('');
  const [violations, setViolations] = useState('');
  const [restricted, setRestricted] = useState<string[]>([]);
  const [confidential, setConfidential] = useState(true);
  const [confidentiality, setConfidentiality] = useState('');
  const [onward, setOnward] = useState(false);
  const [onwardText, setOnwardText] = useState('');
  const [reinterviews, setReinterviews] = useState(true);
  const [reinterviewsText, setReinterviewsText] = useState('');
  const [agreedOn, setAgreedOn] = useState('');
  const [assignees, setAssignees] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!kind) return showError(t('requests.kindNeeded'), 'request-kind');
    if (!body.trim()) return showError(t('requests.bodyNeeded'), 'request-body');
    const spans: { from: string; to: string }[] = [];
    for (const line of lines(periods)) {
      const m = PERIOD.exec(line);
      if (!m) return showError(t('requests.periodBad', { line }), 'request-periods');
      spans.push({ from: m[1], to: m[2] });
    }
    const input: RequestInput = {
      requester: { kind, body: body.trim(), contact },
      reference: reference.trim(),
      legal_basis: legalBasis,
      deadline,
      scope: {
        description,
        incidents: lines(incidents),
        persons: lines(persons),
        facilities: lines(facilities),
        places: lines(places),
        periods: spans,
        violation_types: lines(violations),
        restricted,
      },
      terms: {
        confidential,
        confidentiality,
        onward_sharing_allowed: onward,
        onward_sharing: onwardText,
        minimise_reinterviews: reinterviews,
        reinterviews: reinterviewsText,
        agreed_on: agreedOn,
      },
      assignees: lines(assignees),
    };
    if (receivedOn) input.received_on = receivedOn;
    await run(async () => {
      const made = await registerRequest(input);
      window.location.hash = requestHref(made.id);
    });
  };

  const check = (id: string, label: string, checked: boolean, set: (v: boolean) => void) => (
    <div className="field checkbox-field">
      <div>
        <input type="checkbox" id={id} checked={checked} onChange={(e) => set(e.target.checked)} /> <label htmlFor={id}>{label}</label>
      </div>
    </div>
  );

  return (
    <section aria-labelledby="register-request-heading" className="panel">
      <h2 id="register-request-heading">{t('requests.registerHeading')}</h2>
      <p className="help">{t('requests.registerHelp')}</p>
      <LiveNotice notice={notice} />
      <form onSubmit={submit} noValidate aria-labelledby="register-request-heading">
        <div className="form-grid">
          <SelectField
            id="request-kind"
            label={t('requests.kind')}
            options={REQUESTER_KINDS}
            optionLabel={(k) => requesterLabel(t, k)}
            emptyOption="—"
            value={kind}
            onChange={(e) => setKind(e.target.value as RequesterKind | '')}
          />
          <Field id="request-body" label={t('requests.body')} help={t('requests.bodyHelp')} type="text" maxLength={500} value={body} onChange={(e) => setBody(e.target.value)} />
          <Field id="request-reference" label={t('requests.reference')} type="text" maxLength={500} value={reference} onChange={(e) => setReference(e.target.value)} />
          <Field id="request-received" label={t('requests.receivedOn')} type="date" value={receivedOn} onChange={(e) => setReceivedOn(e.target.value)} />
          <Field id="request-deadline" label={t('requests.deadline')} type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
          <TextAreaField id="request-contact" label={t('requests.contact')} rows={3} value={contact} onChange={(e) => setContact(e.target.value)} />
          <TextAreaField id="request-basis" label={t('requests.legalBasis')} rows={2} value={legalBasis} onChange={(e) => setLegalBasis(e.target.value)} />
          <TextAreaField id="request-description" label={t('requests.scopeDescription')} rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />
          <TextAreaField id="request-incidents" label={t('requests.incidents')} rows={2} value={incidents} onChange={(e) => setIncidents(e.target.value)} />
          <TextAreaField id="request-persons" label={t('requests.persons')} rows={2} value={persons} onChange={(e) => setPersons(e.target.value)} />
          <TextAreaField id="request-facilities" label={t('requests.facilities')} rows={2} value={facilities} onChange={(e) => setFacilities(e.target.value)} />
          <TextAreaField id="request-places" label={t('requests.places')} rows={2} value={places} onChange={(e) => setPlaces(e.target.value)} />
          <TextAreaField id="request-periods" label={t('requests.periods')} rows={2} value={periods} onChange={(e) => setPeriods(e.target.value)} />
          <TextAreaField id="request-violations" label={t('requests.violationTypes')} rows={2} value={violations} onChange={(e) => setViolations(e.target.value)} />
        </div>
        <fieldset className="wide-fieldset">
          <legend>{t('requests.restricted')}</legend>
          {RESTRICTED_CATEGORIES.map((c) =>
            check(`request-restricted-${c}`, t(`requests.restricted.${c}` as MessageKey), restricted.includes(c), (on) =>
              setRestricted((prev) => (on ? [...prev, c] : prev.filter((x) => x !== c))),
            ),
          )}
        </fieldset>
        <fieldset className="wide-fieldset">
          <legend>{t('requests.terms')}</legend>
          {check('request-confidential', t('requests.confidential'), confidential, setConfidential)}
          <Field id="request-confidentiality" label={t('requests.confidentiality')} type="text" value={confidentiality} onChange={(e) => setConfidentiality(e.target.value)} />
          {check('request-onward', t('requests.onward'), onward, setOnward)}
          <Field id="request-onward-text" label={t('requests.onwardText')} type="text" value={onwardText} onChange={(e) => setOnwardText(e.target.value)} />
          {check('request-reinterviews', t('requests.reinterviews'), reinterviews, setReinterviews)}
          <Field id="request-reinterviews-text" label={t('requests.reinterviewsText')} type="text" value={reinterviewsText} onChange={(e) => setReinterviewsText(e.target.value)} />
          <Field id="request-agreed" label={t('requests.agreedOn')} type="date" value={agreedOn} onChange={(e) => setAgreedOn(e.target.value)} />
        </fieldset>
        <div className="form-grid">
          <TextAreaField id="request-assignees" label={t('requests.assignees')} rows={2} value={assignees} onChange={(e) => setAssignees(e.target.value)} />
        </div>
        <SubmitActions busy={busy}>{busy ? t('app.loading') : t('requests.register')}</SubmitActions>
      </form>
    </section>
  );
}
