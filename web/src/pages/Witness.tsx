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
import { Field, LiveNotice, LoadError, Loading, PageHeading, describeError, type NoticeState } from '../components';
import { formatTime } from '../format';
import { useI18n } from '../i18n';
import { routeHref } from '../router';
import {
  ConsentBadge,
  DoNotContact,
  ageBandLabel,
  genderLabel,
  listText,
  tombstoneText,
  vulnerabilityLabel,
} from './Witnesses';

export function WitnessPage({ code }: { code: string }) {
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
      {error ? <LoadError error={error} /> : witness === null ? <Loading /> : <WitnessBody witness={witness} onChanged={load} onErased={setWitness} />}
    </>
  );
}

function WitnessBody({
  witness: w,
  onChanged,
  onErased,
}: {
  witness: WitnessData;
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
          <div>
            <dt>{t('witnesses.colOrganisation')}</dt>
            <dd>{w.organisation}</dd>
          </div>
          <div>
            <dt>{t('witness.erasedAt')}</dt>
            <dd>
              <time dateTime={w.erased_at}>{formatTime(w.erased_at ?? '', lang)}</time>
            </dd>
          </div>
          <div>
            <dt>{t('witness.erasedBy')}</dt>
            <dd>{w.erased_by}</dd>
          </div>
          <div>
            <dt>{t('witness.erasureReason')}</dt>
            <dd data-testid="erasure-reason">{w.erasure_reason}</dd>
          </div>
          <div>
            <dt>{t('witness.erasedObjects')}</dt>
            <dd>{w.erased_objects}</dd>
          </div>
        </dl>
      </section>
    );
  }

  return (
    <>
      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t('witness.profileHeading')}</h2>
        <dl className="facts profile">
          <div>
            <dt>{t('witnesses.colOrganisation')}</dt>
            <dd>{w.organisation}</dd>
          </div>
          <div>
            <dt>{t('witnesses.colConsent')}</dt>
            <dd data-testid="consent-state">{w.consent ? <ConsentBadge state={w.consent.state} /> : null}</dd>
          </div>
          <div>
            <dt>{t('witness.gender')}</dt>
            <dd>{genderLabel(t, w.gender)}</dd>
          </div>
          <div>
            <dt>{t('witness.ageBand')}</dt>
            <dd>{ageBandLabel(t, w.age_band)}</dd>
          </div>
          <div>
            <dt>{t('witness.country')}</dt>
            <dd>{w.country || '—'}</dd>
          </div>
          <div>
            <dt>{t('witness.languages')}</dt>
            <dd>{listText(w.languages)}</dd>
          </div>
          <div>
            <dt>{t('witness.vulnerabilities')}</dt>
            <dd>{listText(w.vulnerabilities, (v) => vulnerabilityLabel(t, v))}</dd>
          </div>
          <div>
            <dt>{t('witness.contact')}</dt>
            <dd>{w.do_not_contact ? <DoNotContact /> : t('witness.contactAllowed')}</dd>
          </div>
          <div>
            <dt>{t('witness.registered')}</dt>
            <dd>
              <time dateTime={w.registered_at}>{formatTime(w.registered_at ?? '', lang)}</time>
            </dd>
          </div>
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
      {w.permissions.erase ? <EraseWitness code={w.code} onErased={onErased} /> : null}
    </>
  );
}

function ConsentTable({ consents, conditions }: { consents: ConsentVersion[]; conditions: boolean }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table className="consents-table">
        <caption className="visually-hidden">{t('witness.consentsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('consent.version')}
            </th>
            <th scope="col">{t('consent.givenOn')}</th>
            <th scope="col">{t('consent.takenBy')}</th>
            <th scope="col">{t('consent.scopes')}</th>
            <th scope="col">{t('consent.renewBy')}</th>
            <th scope="col">{t('consent.withdrawnOn')}</th>
            {conditions ? <th scope="col">{t('consent.conditions')}</th> : null}
          </tr>
        </thead>
        <tbody>
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
        </tbody>
      </table>
    </div>
  );
}

/** Who the witness is: fetched only when asked for, and the server logs each view. */
function PersonalPanel({ code, recorded }: { code: string; recorded: boolean }) {
  const { t } = useI18n();
  const [details, setDetails] = useState<PersonalDetails | null>(null);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [busy, setBusy] = useState(false);
  const shownRef = useRef<HTMLDListElement>(null);

  useEffect(() => {
    if (details) shownRef.current?.focus();
  }, [details]);

  const show = async () => {
    setBusy(true);
    setNotice(null);
    try {
      const p = await api.personalDetails(code);
      setDetails({ name: p.name, contacts: p.contacts, date_of_birth: p.date_of_birth, address: p.address, notes: p.notes });
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="personal-heading" className="panel personal-panel">
      <h2 id="personal-heading">{t('witness.personalHeading')}</h2>
      <LiveNotice notice={notice} />
      {!recorded ? (
        <p>{t('witness.noPersonal')}</p>
      ) : details ? (
        <>
          <dl className="facts" ref={shownRef} tabIndex={-1} aria-label={t('witness.personalHeading')} data-testid="personal-details">
            <div>
              <dt>{t('personal.name')}</dt>
              <dd>{details.name || '—'}</dd>
            </div>
            <div>
              <dt>{t('personal.contacts')}</dt>
              <dd>{details.contacts || '—'}</dd>
            </div>
            <div>
              <dt>{t('personal.dateOfBirth')}</dt>
              <dd>{details.date_of_birth || '—'}</dd>
            </div>
            <div>
              <dt>{t('personal.address')}</dt>
              <dd>{details.address || '—'}</dd>
            </div>
            <div>
              <dt>{t('personal.notes')}</dt>
              <dd>{details.notes || '—'}</dd>
            </div>
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
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (s: Scope, on: boolean) => setScopes((prev) => (on ? [...prev, s] : prev.filter((x) => x !== s)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!givenOn) {
      setNotice({ kind: 'error', text: t('consent.givenOnNeeded') });
      document.getElementById('consent-given')?.focus();
      return;
    }
    if (!takenBy.trim()) {
      setNotice({ kind: 'error', text: t('consent.takenByNeeded') });
      document.getElementById('consent-taken-by')?.focus();
      return;
    }
    setBusy(true);
    setNotice(null);
    try {
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
    } catch (err) {
      setNotice({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
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
        <fieldset className="field wide-fieldset">
          <legend>{t('consent.scopes')}</legend>
          <ul className="checkbox-list">
            {SCOPES.map((s) => (
              <li key={s}>
                <input
                  type="checkbox"
                  id={`consent-scope-${s}`}
                  value={s}
                  checked={scopes.includes(s)}
                  onChange={(e) => toggle(s, e.target.checked)}
                />
                <label htmlFor={`consent-scope-${s}`}>{t(`scope.${s}`)}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="field wide-fieldset">
          <label htmlFor="consent-conditions">{t('consent.conditions')}</label>
          <textarea
            id="consent-conditions"
            rows={2}
            aria-describedby="consent-conditions-help"
            value={conditions}
            onChange={(e) => setConditions(e.target.value)}
          />
          <p id="consent-conditions-help" className="help">
            {t('consent.conditionsHelp')}
          </p>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('app.loading') : t('consent.add')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Does the consent allow this use? The server's decision and its reason, as given. */
function ConsentCheck({ code }: { code: string }) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState<Purpose>('sharing');
  const [recipient, setRecipient] = useState<Recipient>('icc');
  const [decision, setDecision] = useState<ConsentDecision | null>(null);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setNotice(null);
    setDecision(null);
    try {
      setDecision(await api.checkConsent(code, purpose, recipient));
    } catch (err) {
      setNotice({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="check-heading" className="panel">
      <h2 id="check-heading">{t('check.heading')}</h2>
      <form onSubmit={submit} className="filter-form">
        <div className="field">
          <label htmlFor="check-purpose">{t('check.purpose')}</label>
          <select id="check-purpose" value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose)}>
            {PURPOSES.map((p) => (
              <option key={p} value={p}>
                {t(`purpose.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="check-recipient">{t('check.recipient')}</label>
          <select id="check-recipient" value={recipient} onChange={(e) => setRecipient(e.target.value as Recipient)}>
            {RECIPIENTS.map((r) => (
              <option key={r} value={r}>
                {t(`recipient.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('check.submit')}
          </button>
        </div>
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
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [busy, setBusy] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (open) firstRef.current?.focus();
  }, [open]);

  const ready = typed.trim() === code && reason.trim() !== '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (typed.trim() !== code) {
      setNotice({ kind: 'error', text: t('erase.typeCode', { code }) });
      firstRef.current?.focus();
      return;
    }
    if (!reason.trim()) {
      setNotice({ kind: 'error', text: t('erase.reasonNeeded') });
      document.getElementById('erase-reason')?.focus();
      return;
    }
    setBusy(true);
    setNotice(null);
    try {
      onErased(await api.eraseWitness(code, reason.trim()));
    } catch (err) {
      setNotice({ kind: 'error', text: describeError(err, t) });
      setBusy(false);
    }
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
