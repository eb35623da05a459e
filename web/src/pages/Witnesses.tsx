import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';

import * as api from '../api';
import {
  AGE_BANDS,
  ApiError,
  CONSENT_STATES,
  GENDERS,
  VULNERABILITIES,
  WITNESS_CODE,
  WITNESS_WRITERS,
  organisationsWhere,
  type AgeBand,
  type ConsentState,
  type Gender,
  type User,
  type Vulnerability,
  type Witness,
} from '../api';
import { Field, LiveNotice, LoadError, Loading, NoRights, PageHeading, describeError, isForbidden, type NoticeState } from '../components';
import { formatTime } from '../format';
import { useI18n, type Translate } from '../i18n';
import { witnessHref } from '../router';

/** A consent state as a coloured badge with its name (the colour is never the only sign). */
export function ConsentBadge({ state }: { state: ConsentState }) {
  const { t } = useI18n();
  return (
    <span className={`badge consent-${state}`} data-consent-state={state}>
      {t(`consent.state.${state}`)}
    </span>
  );
}

export function DoNotContact() {
  const { t } = useI18n();
  return (
    <span className="badge badge-off" data-do-not-contact="true">
      {t('witness.doNotContact')}
    </span>
  );
}

/** A list of codes (languages, vulnerabilities) for a table cell; a dash when empty. */
export function listText(items: readonly string[] | undefined, label: (s: string) => string = (s) => s): string {
  return items && items.length > 0 ? items.map(label).join(', ') : '—';
}

export function genderLabel(t: Translate, g: string | undefined): string {
  return g && (GENDERS as readonly string[]).includes(g) ? t(`gender.${g as Gender}`) : (g ?? '—');
}

export function ageBandLabel(t: Translate, a: string | undefined): string {
  return a && (AGE_BANDS as readonly string[]).includes(a) ? t(`age.${a as AgeBand}`) : (a ?? '—');
}

export function vulnerabilityLabel(t: Translate, v: string): string {
  return (VULNERABILITIES as readonly string[]).includes(v) ? t(`vulnerability.${v as Vulnerability}`) : v;
}

/** The tombstone of an erased witness, in words. */
export function tombstoneText(t: Translate, w: Witness, lang: Parameters<typeof formatTime>[1]): string {
  return t('witness.erasedOn', {
    time: formatTime(w.erased_at ?? '', lang),
    by: w.erased_by ?? '—',
    n: w.erased_objects ?? 0,
  });
}

export function WitnessesPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const [witnesses, setWitnesses] = useState<Witness[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [consent, setConsent] = useState<ConsentState | ''>('');
  const [organisation, setOrganisation] = useState('');
  const [gender, setGender] = useState('');
  const [country, setCountry] = useState('');

  // The consent state is filtered by the server (as of its today); the rest here.
  const load = useCallback(async (state: ConsentState | '') => {
    try {
      const r = await api.listWitnesses(state);
      setWitnesses(r.witnesses);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void load(consent);
  }, [load, consent]);

  // The filters offer what the register holds (organisations and countries the caller sees).
  const [allOrganisations, setAllOrganisations] = useState<string[]>([]);
  const [allCountries, setAllCountries] = useState<string[]>([]);
  useEffect(() => {
    if (!witnesses) return;
    setAllOrganisations((prev) => [...new Set([...prev, ...witnesses.map((w) => w.organisation)])].sort());
    setAllCountries((prev) =>
      [...new Set([...prev, ...witnesses.map((w) => w.country ?? '').filter((c) => c !== '')])].sort(),
    );
  }, [witnesses]);

  const shown = useMemo(
    () =>
      (witnesses ?? []).filter(
        (w) =>
          (!organisation || w.organisation === organisation) &&
          (!gender || w.gender === gender) &&
          (!country || w.country === country),
      ),
    [witnesses, organisation, gender, country],
  );

  if (error && isForbidden(error)) {
    return (
      <>
        <PageHeading>{t('witnesses.title')}</PageHeading>
        <NoRights />
      </>
    );
  }

  const writerOrgs = organisationsWhere(user, WITNESS_WRITERS);

  return (
    <>
      <PageHeading>{t('witnesses.title')}</PageHeading>
      <p>{t('witnesses.intro')}</p>
      {error ? <LoadError error={error} /> : null}

      <section aria-labelledby="register-heading">
        <h2 id="register-heading">{t('witnesses.registerHeading')}</h2>
        <form className="filter-form" onSubmit={(e) => e.preventDefault()} aria-label={t('witnesses.filters')}>
          <div className="field">
            <label htmlFor="filter-consent">{t('witnesses.filterConsent')}</label>
            <select
              id="filter-consent"
              value={consent}
              onChange={(e) => setConsent(e.target.value as ConsentState | '')}
            >
              <option value="">{t('witnesses.any')}</option>
              {CONSENT_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`consent.state.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-organisation">{t('witnesses.colOrganisation')}</label>
            <select id="filter-organisation" value={organisation} onChange={(e) => setOrganisation(e.target.value)}>
              <option value="">{t('witnesses.any')}</option>
              {allOrganisations.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-gender">{t('witness.gender')}</label>
            <select id="filter-gender" value={gender} onChange={(e) => setGender(e.target.value)}>
              <option value="">{t('witnesses.any')}</option>
              {GENDERS.map((g) => (
                <option key={g} value={g}>
                  {t(`gender.${g}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-country">{t('witness.country')}</label>
            <select id="filter-country" value={country} onChange={(e) => setCountry(e.target.value)}>
              <option value="">{t('witnesses.any')}</option>
              {allCountries.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        </form>
        <div role="status" aria-live="polite" className="muted">
          {witnesses ? t('witnesses.shown', { n: shown.length, total: witnesses.length }) : null}
        </div>
        {witnesses === null ? (
          error ? null : <Loading />
        ) : shown.length === 0 ? (
          <p>{witnesses.length === 0 && !consent ? t('witnesses.none') : t('witnesses.noneMatch')}</p>
        ) : (
          <div className="table-wrap">
            <table className="witnesses-table">
              <caption className="visually-hidden">{t('witnesses.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('witnesses.colCode')}</th>
                  <th scope="col">{t('witnesses.colOrganisation')}</th>
                  <th scope="col">{t('witness.gender')}</th>
                  <th scope="col">{t('witness.ageBand')}</th>
                  <th scope="col">{t('witness.country')}</th>
                  <th scope="col">{t('witness.languages')}</th>
                  <th scope="col">{t('witnesses.colConsent')}</th>
                  <th scope="col">{t('witnesses.colContact')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((w) => (
                  <tr key={w.code} data-witness={w.code}>
                    <th scope="row">
                      <a href={witnessHref(w.code)}>{w.code}</a>
                    </th>
                    <td>{w.organisation}</td>
                    {w.erased ? (
                      <td colSpan={6}>
                        <span className="badge badge-erased">{t('witness.erased')}</span> {tombstoneText(t, w, lang)}
                      </td>
                    ) : (
                      <>
                        <td>{genderLabel(t, w.gender)}</td>
                        <td>{ageBandLabel(t, w.age_band)}</td>
                        <td>{w.country || '—'}</td>
                        <td>{listText(w.languages)}</td>
                        <td>{w.consent ? <ConsentBadge state={w.consent.state} /> : null}</td>
                        <td>{w.do_not_contact ? <DoNotContact /> : <span className="muted">—</span>}</td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="new-witness-heading" className="panel">
        <h2 id="new-witness-heading">{t('witnesses.newHeading')}</h2>
        {writerOrgs.length === 0 ? (
          <p>{t('witnesses.readOnly')}</p>
        ) : (
          <RegisterForm organisations={writerOrgs} />
        )}
      </section>
    </>
  );
}

const EMPTY_PERSONAL: api.PersonalDetails = { name: '', contacts: '', date_of_birth: '', address: '', notes: '' };

function RegisterForm({ organisations }: { organisations: string[] }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [organisation, setOrganisation] = useState(organisations.length === 1 ? organisations[0] : '');
  const [gender, setGender] = useState<Gender>('undisclosed');
  const [ageBand, setAgeBand] = useState<AgeBand>('unknown');
  const [country, setCountry] = useState('');
  const [languages, setLanguages] = useState('');
  const [vulnerabilities, setVulnerabilities] = useState<Vulnerability[]>([]);
  const [doNotContact, setDoNotContact] = useState(false);
  const [personal, setPersonal] = useState<api.PersonalDetails>(EMPTY_PERSONAL);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [busy, setBusy] = useState(false);

  const setField = (k: keyof api.PersonalDetails, v: string) => setPersonal((p) => ({ ...p, [k]: v }));
  const toggle = (v: Vulnerability, on: boolean) =>
    setVulnerabilities((prev) => (on ? [...prev, v] : prev.filter((x) => x !== v)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim().toUpperCase();
    if (!WITNESS_CODE.test(c)) {
      setNotice({ kind: 'error', text: t('witnesses.codeInvalid') });
      document.getElementById('new-code')?.focus();
      return;
    }
    if (!organisation) {
      setNotice({ kind: 'error', text: t('objects.chooseOrganisation') });
      document.getElementById('new-organisation')?.focus();
      return;
    }
    const cc = country.trim().toUpperCase();
    if (cc && !/^[A-Z]{2}$/.test(cc)) {
      setNotice({ kind: 'error', text: t('witnesses.countryInvalid') });
      document.getElementById('new-country')?.focus();
      return;
    }
    const langs = languages
      .split(/[\s,;]+/)
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l !== '');
    if (langs.some((l) => !/^[a-z]{2,3}$/.test(l))) {
      setNotice({ kind: 'error', text: t('witnesses.languagesInvalid') });
      document.getElementById('new-languages')?.focus();
      return;
    }
    const hasPersonal = Object.values(personal).some((v) => v.trim() !== '');
    setBusy(true);
    setNotice(null);
    try {
      await api.registerWitness({
        code: c,
        organisation,
        gender,
        age_band: ageBand,
        country: cc,
        languages: langs,
        vulnerabilities: VULNERABILITIES.filter((v) => vulnerabilities.includes(v)),
        do_not_contact: doNotContact,
        ...(hasPersonal ? { personal } : {}),
      });
      // The typed personal details leave this page's memory with the form.
      setPersonal(EMPTY_PERSONAL);
      window.location.hash = witnessHref(c);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setNotice({ kind: 'error', text: t('witnesses.exists', { code: c }) });
      else setNotice({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <LiveNotice notice={notice} />
      {/* Our own checks, with messages in the live region, rather than the browser's bubbles. */}
      <form onSubmit={submit} className="form-grid" noValidate>
        <Field
          id="new-code"
          label={t('witnesses.code')}
          help={t('witnesses.codeHelp')}
          type="text"
          required
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        {organisations.length > 1 ? (
          <div className="field">
            <label htmlFor="new-organisation">{t('witnesses.colOrganisation')}</label>
            <select id="new-organisation" required value={organisation} onChange={(e) => setOrganisation(e.target.value)}>
              <option value="">{t('objects.chooseOrganisation')}</option>
              {organisations.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="new-gender">{t('witness.gender')}</label>
          <select id="new-gender" value={gender} onChange={(e) => setGender(e.target.value as Gender)}>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {t(`gender.${g}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="new-age">{t('witness.ageBand')}</label>
          <select id="new-age" value={ageBand} onChange={(e) => setAgeBand(e.target.value as AgeBand)}>
            {AGE_BANDS.map((a) => (
              <option key={a} value={a}>
                {t(`age.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          id="new-country"
          label={t('witness.country')}
          help={t('witnesses.countryHelp')}
          type="text"
          maxLength={2}
          autoComplete="off"
          value={country}
          onChange={(e) => setCountry(e.target.value)}
        />
        <Field
          id="new-languages"
          label={t('witness.languages')}
          help={t('witnesses.languagesHelp')}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={languages}
          onChange={(e) => setLanguages(e.target.value)}
        />
        <fieldset className="field wide-fieldset">
          <legend>{t('witness.vulnerabilities')}</legend>
          <ul className="checkbox-list">
            {VULNERABILITIES.map((v) => (
              <li key={v}>
                <input
                  type="checkbox"
                  id={`new-vulnerability-${v}`}
                  checked={vulnerabilities.includes(v)}
                  onChange={(e) => toggle(v, e.target.checked)}
                />
                <label htmlFor={`new-vulnerability-${v}`}>{t(`vulnerability.${v}`)}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="field checkbox-field wide-fieldset">
          <input
            type="checkbox"
            id="new-dnc"
            checked={doNotContact}
            onChange={(e) => setDoNotContact(e.target.checked)}
            aria-describedby="new-dnc-help"
          />
          <label htmlFor="new-dnc">{t('witness.doNotContact')}</label>
          <p id="new-dnc-help" className="help">
            {t('witnesses.doNotContactHelp')}
          </p>
        </div>
        <fieldset className="personal-fieldset wide-fieldset" aria-describedby="personal-warning">
          <legend>{t('witnesses.personalLegend')}</legend>
          <p id="personal-warning" className="notice notice-info">
            {t('witnesses.personalWarning')}
          </p>
          <div className="form-grid">
            <Field
              id="new-name"
              label={t('personal.name')}
              type="text"
              autoComplete="off"
              value={personal.name}
              onChange={(e) => setField('name', e.target.value)}
            />
            <Field
              id="new-contacts"
              label={t('personal.contacts')}
              type="text"
              autoComplete="off"
              value={personal.contacts}
              onChange={(e) => setField('contacts', e.target.value)}
            />
            <Field
              id="new-dob"
              label={t('personal.dateOfBirth')}
              type="text"
              autoComplete="off"
              placeholder="YYYY-MM-DD"
              value={personal.date_of_birth}
              onChange={(e) => setField('date_of_birth', e.target.value)}
            />
            <Field
              id="new-address"
              label={t('personal.address')}
              type="text"
              autoComplete="off"
              value={personal.address}
              onChange={(e) => setField('address', e.target.value)}
            />
            <div className="field wide-fieldset">
              <label htmlFor="new-notes">{t('personal.notes')}</label>
              <textarea id="new-notes" rows={3} value={personal.notes} onChange={(e) => setField('notes', e.target.value)} />
            </div>
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('app.loading') : t('witnesses.register')}
          </button>
        </div>
      </form>
    </>
  );
}
