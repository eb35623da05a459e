import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';

import * as api from '../api';
import {
  PURPOSES,
  RECIPIENTS,
  SCOPES,
  type ConsentDecision,
  type ConsentVersion,
  type PersonalDetails,
  type Purpose,
  type Recipient,
  type Scope,
  type WitnessPage as WitnessData,
} from '../api';
import {
  CheckboxGroup,
  DataTable,
  Fact,
  Field,
  LiveNotice,
  LoadError,
  Loading,
  PageHeading,
  SelectField,
  SubmitActions,
  TextAreaField,
  useSubmit,
} from '../components';
import { formatTime } from '../format';
import { useI18n } from '../i18n';
import { routeHref } from '../router';
import {
  ConsentBadge,
  DoNotContact,
  PERSONAL_FIELDS,
  ageBandLabel,
  genderLabel,
  listText,
  tombstoneText,
  vulnerabilityLabel,
} from './Witnesses';
import { WitnessRecords } from './WitnessRecords';
import { WitnessSummaryLinks } from './Summaries';
import { WitnessDisclosureHistory } from './Disclosures';
import type { User } from '../api';

export function WitnessPage({ code, user }: { code: string; user?: User }) {
  const { t } = useI18n();
  const [witness, setWitness] = useState<WitnessData | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setWitness(await api.getWitness(code));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [code]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <PageHeading>{t('witness.title', { code })}</PageHeading>
      <p>
        <a href={routeHref('witnesses')}>{t('witness.back')}</a>
      </p>
      {error ? <LoadError error={error} /> : witness === null ? <Loading /> : <WitnessBody witness={witness} user={user} onChanged={load} onErased={setWitness} />}
    </>
  );
}

function WitnessBody({
  witness: w,
  user,
  onChanged,
  onErased,
}: {
  witness: WitnessData;
  user?: User;
  onChanged: () => Promise<void>;
  onErased: (w: WitnessData) => void;
}) {
  const { t, lang } = useI18n();

  if (w.erased) {
    return (
      <section aria-labelledby="tombstone-heading" className="panel tombstone" data-erased="true">
        <h2 id="tombstone-heading">{t('witness.tombstoneHeading')}</h2>
        <p>{tombstoneText(t, w, lang)}</p>
        <dl className="facts">
          <Fact term={t('witnesses.colOrganisation')}>{w.organisation}</Fact>
          <Fact term={t('witness.erasedAt')}>
            <time dateTime={w.erased_at}>{formatTime(w.erased_at ?? '', lang)}</time>
          </Fact>
          <Fact term={t('witness.erasedBy')}>{w.erased_by}</Fact>
          <Fact term={t('witness.erasureReason')} testId="erasure-reason">
            {w.erasure_reason}
          </Fact>
          <Fact term={t('witness.erasedObjects')}>{w.erased_objects}</Fact>
        </dl>
      </section>
    );
  }

  return (
    <>
      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t('witness.profileHeading')}</h2>
        <dl className="facts profile">
          <Fact term={t('witnesses.colOrganisation')}>{w.organisation}</Fact>
          <Fact term={t('witnesses.colConsent')} testId="consent-state">
            {w.consent ? <ConsentBadge state={w.consent.state} /> : null}
          </Fact>
          <Fact term={t('witness.gender')}>{genderLabel(t, w.gender)}</Fact>
          <Fact term={t('witness.ageBand')}>{ageBandLabel(t, w.age_band)}</Fact>
          <Fact term={t('witness.country')}>{w.country || '—'}</Fact>
          <Fact term={t('witness.languages')}>{listText(w.languages)}</Fact>
          <Fact term={t('witness.vulnerabilities')}>{listText(w.vulnerabilities, (v) => vulnerabilityLabel(t, v))}</Fact>
          <Fact term={t('witness.contact')}>{w.do_not_contact ? <DoNotContact /> : t('witness.contactAllowed')}</Fact>
          <Fact term={t('witness.registered')}>
            <time dateTime={w.registered_at}>{formatTime(w.registered_at ?? '', lang)}</time>
          </Fact>
        </dl>
      </section>

      {w.permissions.view_personal ? <PersonalPanel code={w.code} recorded={w.has_personal_details === true} /> : null}

      <section aria-labelledby="consents-heading">
        <h2 id="consents-heading">{t('witness.consentsHeading')}</h2>
        {w.consents.length === 0 ? (
          <p>{t('witness.noConsent')}</p>
        ) : (
          <ConsentTable consents={w.consents} conditions={w.permissions.read_conditions} />
        )}
      </section>

      {w.permissions.add_consent ? <AddConsentForm code={w.code} onAdded={onChanged} /> : null}
      {w.permissions.check_consent ? <ConsentCheck code={w.code} /> : null}
      <WitnessRecords witness={w} />
      {user ? <WitnessSummaryLinks code={w.code} user={user} /> : null}
      {user ? <WitnessDisclosureHistory witness={w} user={user} /> : null}
      {w.permissions.erase ? <EraseWitness code={w.code} onErased={onErased} /> : null}
    </>
  );
}

function ConsentTable({ consents, conditions }: { consents: ConsentVersion[]; conditions: boolean }) {
  const { t } = useI18n();
  return (
    <DataTable
      className="consents-table"
      caption="witness.consentsCaption"
      columns={[
        { label: 'consent.version', className: 'num' },
        'consent.givenOn',
        'consent.takenBy',
        'consent.scopes',
        'consent.renewBy',
        'consent.withdrawnOn',
        conditions && 'consent.conditions',
      ]}
    >
      {[...consents].reverse().map((c) => (
        <tr key={c.version} data-consent-version={c.version}>
          <th scope="row" className="num">
            v{c.version}
          </th>
          <td>{c.given_on}</td>
          <td>{c.taken_by}</td>
          <td>
            {c.scopes.length === 0 ? (
              <span className="muted">{t('consent.noScopes')}</span>
            ) : (
              <ul className="plain-list">
                {c.scopes.map((s) => (
                  <li key={s}>{(SCOPES as readonly string[]).includes(s) ? t(`scope.${s}`) : s}</li>
                ))}
              </ul>
            )}
          </td>
          <td>{c.renew_by || '—'}</td>
          <td>{c.withdrawn_on ? <span className="badge consent-withdrawn">{c.withdrawn_on}</span> : '—'}</td>
          {conditions ? <td className="conditions">{c.conditions || '—'}</td> : null}
        </tr>
      ))}
    </DataTable>
  );
}

/** Who the witness is: fetched only when asked for, and the server logs each view. */
function PersonalPanel({ code, recorded }: { code: string; recorded: boolean }) {
  const { t } = useI18n();
  const [details, setDetails] = useState<PersonalDetails | null>(null);
  const { busy, notice, run } = useSubmit();
  const shownRef = useRef<HTMLDListElement>(null);

  useEffect(() => {
    if (details) shownRef.current?.focus();
  }, [details]);

  const show = () =>
    run(async () => {
      const p = await api.personalDetails(code);
      setDetails({ name: p.name, contacts: p.contacts, date_of_birth: p.date_of_birth, address: p.address, notes: p.notes });
    });

  return (
    <section aria-labelledby="personal-heading" className="panel personal-panel">
      <h2 id="personal-heading">{t('witness.personalHeading')}</h2>
      <LiveNotice notice={notice} />
      {!recorded ? (
        <p>{t('witness.noPersonal')}</p>
      ) : details ? (
        <>
          <dl className="facts" ref={shownRef} tabIndex={-1} aria-label={t('witness.personalHeading')} data-testid="personal-details">
            {PERSONAL_FIELDS.map(({ key, label }) => (
              <Fact key={key} term={t(label)}>
                {details[key] || '—'}
              </Fact>
            ))}
          </dl>
          <div className="actions">
            <button type="button" className="button-secondary" onClick={() => setDetails(null)}>
              {t('witness.hidePersonal')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p id="personal-logged" className="help">
            {t('witness.personalLogged')}
          </p>
          <div className="actions">
            <button type="button" onClick={show} disabled={busy} aria-describedby="personal-logged">
              {busy ? t('app.loading') : t('witness.showPersonal')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

const today = () => new Date().toISOString().slice(0, 10);

function AddConsentForm({ code, onAdded }: { code: string; onAdded: () => Promise<void> }) {
  const { t } = useI18n();
  const [givenOn, setGivenOn] = useState(today);
  const [takenBy, setTakenBy] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [conditions, setConditions] = useState('');
  const [renewBy, setRenewBy] = useState('');
  const [withdrawnOn, setWithdrawnOn] = useState('');
  const { busy, notice, setNotice, showError, run } = useSubmit();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!givenOn) return showError(t('consent.givenOnNeeded'), 'consent-given');
    if (!takenBy.trim()) return showError(t('consent.takenByNeeded'), 'consent-taken-by');
    await run(async () => {
      const v = await api.addConsent(code, {
        given_on: givenOn,
        taken_by: takenBy.trim(),
        scopes: SCOPES.filter((s) => scopes.includes(s)),
        conditions,
        renew_by: renewBy,
        withdrawn_on: withdrawnOn,
      });
      setScopes([]);
      setConditions('');
      setRenewBy('');
      setWithdrawnOn('');
      await onAdded();
      setNotice({ kind: 'success', text: t('consent.added', { version: v.version, code }) });
    });
  };

  return (
    <section aria-labelledby="add-consent-heading" className="panel">
      <h2 id="add-consent-heading">{t('consent.addHeading')}</h2>
      <p className="help">{t('consent.addHelp')}</p>
      <LiveNotice notice={notice} />
      <form onSubmit={submit} className="form-grid" noValidate>
        <Field
          id="consent-given"
          label={t('consent.givenOn')}
          type="date"
          required
          value={givenOn}
          onChange={(e) => setGivenOn(e.target.value)}
        />
        <Field
          id="consent-taken-by"
          label={t('consent.takenBy')}
          help={t('consent.takenByHelp')}
          type="text"
          required
          autoComplete="off"
          value={takenBy}
          onChange={(e) => setTakenBy(e.target.value)}
        />
        <Field
          id="consent-renew"
          label={t('consent.renewBy')}
          help={t('consent.renewByHelp')}
          type="date"
          value={renewBy}
          onChange={(e) => setRenewBy(e.target.value)}
        />
        <Field
          id="consent-withdrawn"
          label={t('consent.withdrawnOn')}
          help={t('consent.withdrawnOnHelp')}
          type="date"
          value={withdrawnOn}
          onChange={(e) => setWithdrawnOn(e.target.value)}
        />
        <CheckboxGroup
          legend={t('consent.scopes')}
          className="field wide-fieldset"
          idPrefix="consent-scope-"
          options={SCOPES}
          checked={scopes}
          optionLabel={(s) => t(`scope.${s}`)}
          onChange={setScopes}
        />
        <TextAreaField
          id="consent-conditions"
          label={t('consent.conditions')}
          help={t('consent.conditionsHelp')}
          rows={2}
          value={conditions}
          onChange={(e) => setConditions(e.target.value)}
        />
        <SubmitActions busy={busy}>{busy ? t('app.loading') : t('consent.add')}</SubmitActions>
      </form>
    </section>
  );
}

/** The use a consent is checked for, a purpose and a recipient (here and on the consent gaps page). */
export function useConsentUse() {
  const [purpose, setPurpose] = useState<Purpose>('sharing');
  const [recipient, setRecipient] = useState<Recipient>('icc');
  return { purpose, setPurpose, recipient, setRecipient };
}

/** The two selects of a use; their ids are `${idPrefix}-purpose` and `${idPrefix}-recipient`. */
export function ConsentUseFields({ idPrefix, use }: { idPrefix: string; use: ReturnType<typeof useConsentUse> }) {
  const { t } = useI18n();
  return (
    <>
      <SelectField
        id={`${idPrefix}-purpose`}
        label={t('check.purpose')}
        options={PURPOSES}
        optionLabel={(p) => t(`purpose.${p}`)}
        value={use.purpose}
        onChange={(e) => use.setPurpose(e.target.value as Purpose)}
      />
      <SelectField
        id={`${idPrefix}-recipient`}
        label={t('check.recipient')}
        options={RECIPIENTS}
        optionLabel={(r) => t(`recipient.${r}`)}
        value={use.recipient}
        onChange={(e) => use.setRecipient(e.target.value as Recipient)}
      />
    </>
  );
}

/** Does the consent allow this use? The server's decision and its reason, as given. */
function ConsentCheck({ code }: { code: string }) {
  const { t } = useI18n();
  const use = useConsentUse();
  const [decision, setDecision] = useState<ConsentDecision | null>(null);
  const { busy, notice, run } = useSubmit();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDecision(null);
    await run(async () => setDecision(await api.checkConsent(code, use.purpose, use.recipient)));
  };

  return (
    <section aria-labelledby="check-heading" className="panel">
      <h2 id="check-heading">{t('check.heading')}</h2>
      <form onSubmit={submit} className="filter-form">
        <ConsentUseFields idPrefix="check" use={use} />
        <SubmitActions busy={busy}>{t('check.submit')}</SubmitActions>
      </form>
      <LiveNotice notice={notice} />
      <div role="status" aria-live="polite">
        {decision ? (
          <p
            className={`notice ${decision.allowed ? 'notice-success' : 'notice-error'}`}
            data-testid="consent-decision"
            data-allowed={decision.allowed ? 'true' : 'false'}
          >
            <strong>{decision.allowed ? t('check.allowed') : t('check.refused')}</strong> {decision.reason}
          </p>
        ) : null}
      </div>
    </section>
  );
}

/** Erasure cannot be undone: a second step asks for the code typed out and a reason. */
function EraseWitness({ code, onErased }: { code: string; onErased: (w: WitnessData) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (open) firstRef.current?.focus();
  }, [open]);

  const ready = typed.trim() === code && reason.trim() !== '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (typed.trim() !== code) return showError(t('erase.typeCode', { code }), 'erase-code');
    if (!reason.trim()) return showError(t('erase.reasonNeeded'), 'erase-reason');
    // On success the page shows the tombstone in place of this form.
    await run(async () => onErased(await api.eraseWitness(code, reason.trim())));
  };
  return (
    <section aria-labelledby="erase-heading" className="panel danger-zone">
      <h2 id="erase-heading">{t('erase.heading')}</h2>
      <p>{t('erase.explain')}</p>
      {!open ? (
        <div className="actions">
          <button type="button" className="button-danger" onClick={() => setOpen(true)}>
            {t('erase.start')}
          </button>
        </div>
      ) : (
        <>
          <LiveNotice notice={notice} />
          <form onSubmit={submit} className="form-grid" noValidate>
            <Field
              id="erase-code"
              ref={firstRef}
              label={t('erase.confirmCode', { code })}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
            <Field
              id="erase-reason"
              label={t('erase.reason')}
              help={t('erase.reasonHelp')}
              type="text"
              maxLength={500}
              autoComplete="off"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <div className="actions">
              <button type="submit" className="button-danger" disabled={busy || !ready}>
                {t('erase.confirm', { code })}
              </button>
              <button
                type="button"
                className="button-secondary"
                onClick={() => {
                  setOpen(false);
                  setTyped('');
                  setReason('');
                  setNotice(null);
                }}
              >
                {t('erase.cancel')}
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
