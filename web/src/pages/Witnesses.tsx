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
import {
  CheckboxGroup,
  DataTable,
  Field,
  LiveNotice,
  LoadError,
  Loading,
  NoRightsPage,
  PageHeading,
  SelectField,
  SubmitActions,
  TextAreaField,
  isForbidden,
  useSubmit,
} from '../components';
import { formatTime } from '../format';
import { useI18n, type MessageKey, type Translate } from '../i18n';
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

/** Language codes typed as "be, ru" (commas, semicolons or spaces); null if one is not a code. */
export function parseLanguages(text: string): string[] | null {
  const langs = text
    .split(/[\s,;]+/)
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '');
  return langs.some((l) => !/^[a-z]{2,3}$/.test(l)) ? null : langs;
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

/** The personal details of a witness, in the order they are asked for and shown. */
export const PERSONAL_FIELDS: readonly { key: keyof api.PersonalDetails; id: string; label: MessageKey }[] = [
  { key: 'name', id: 'name', label: 'personal.name' },
  { key: 'contacts', id: 'contacts', label: 'personal.contacts' },
  { key: 'date_of_birth', id: 'dob', label: 'personal.dateOfBirth' },
  { key: 'address', id: 'address', label: 'personal.address' },
  { key: 'notes', id: 'notes', label: 'personal.notes' },
];

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

  if (error && isForbidden(error)) return <NoRightsPage title={t('witnesses.title')} />;

  const writerOrgs = organisationsWhere(user, WITNESS_WRITERS);

  return (
    <>
      <PageHeading>{t('witnesses.title')}</PageHeading>
      <p>{t('witnesses.intro')}</p>
      {error ? <LoadError error={error} /> : null}

      <section aria-labelledby="register-heading">
        <h2 id="register-heading">{t('witnesses.registerHeading')}</h2>
        <form className="filter-form" onSubmit={(e) => e.preventDefault()} aria-label={t('witnesses.filters')}>
          <SelectField
            id="filter-consent"
            label={t('witnesses.filterConsent')}
            emptyOption={t('witnesses.any')}
            options={CONSENT_STATES}
            optionLabel={(s) => t(`consent.state.${s}`)}
            value={consent}
            onChange={(e) => setConsent(e.target.value as ConsentState | '')}
          />
          <SelectField
            id="filter-organisation"
            label={t('witnesses.colOrganisation')}
            emptyOption={t('witnesses.any')}
            options={allOrganisations}
            value={organisation}
            onChange={(e) => setOrganisation(e.target.value)}
          />
          <SelectField
            id="filter-gender"
            label={t('witness.gender')}
            emptyOption={t('witnesses.any')}
            options={GENDERS}
            optionLabel={(g) => t(`gender.${g}`)}
            value={gender}
            onChange={(e) => setGender(e.target.value)}
          />
          <SelectField
            id="filter-country"
            label={t('witness.country')}
            emptyOption={t('witnesses.any')}
            options={allCountries}
            value={country}
            onChange={(e) => setCountry(e.target.value)}
          />
        </form>
        <div role="status" aria-live="polite" className="muted">
          {witnesses ? t('witnesses.shown', { n: shown.length, total: witnesses.length }) : null}
        </div>
        {witnesses === null ? (
          error ? null : <Loading />
        ) : shown.length === 0 ? (
          <p>{witnesses.length === 0 && !consent ? t('witnesses.none') : t('witnesses.noneMatch')}</p>
        ) : (
          <DataTable
            className="witnesses-table"
            caption="witnesses.caption"
            columns={[
              'witnesses.colCode',
              'witnesses.colOrganisation',
              'witness.gender',
              'witness.ageBand',
              'witness.country',
              'witness.languages',
              'witnesses.colConsent',
              'witnesses.colContact',
            ]}
          >
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
          </DataTable>
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
  const { busy, notice, showError, fail, run } = useSubmit();

  const setField = (k: keyof api.PersonalDetails, v: string) => setPersonal((p) => ({ ...p, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim().toUpperCase();
    if (!WITNESS_CODE.test(c)) return showError(t('witnesses.codeInvalid'), 'new-code');
    if (!organisation) return showError(t('objects.chooseOrganisation'), 'new-organisation');
    const cc = country.trim().toUpperCase();
    if (cc && !/^[A-Z]{2}$/.test(cc)) return showError(t('witnesses.countryInvalid'), 'new-country');
    const langs = parseLanguages(languages);
    if (!langs) return showError(t('witnesses.languagesInvalid'), 'new-languages');
    const hasPersonal = Object.values(personal).some((v) => v.trim() !== '');
    await run(
      async () => {
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
      },
      (err) => (err instanceof ApiError && err.status === 409 ? showError(t('witnesses.exists', { code: c })) : fail(err)),
    );
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
          <SelectField
            id="new-organisation"
            label={t('witnesses.colOrganisation')}
            emptyOption={t('objects.chooseOrganisation')}
            options={organisations}
            required
            value={organisation}
            onChange={(e) => setOrganisation(e.target.value)}
          />
        ) : null}
        <SelectField
          id="new-gender"
          label={t('witness.gender')}
          options={GENDERS}
          optionLabel={(g) => t(`gender.${g}`)}
          value={gender}
          onChange={(e) => setGender(e.target.value as Gender)}
        />
        <SelectField
          id="new-age"
          label={t('witness.ageBand')}
          options={AGE_BANDS}
          optionLabel={(a) => t(`age.${a}`)}
          value={ageBand}
          onChange={(e) => setAgeBand(e.target.value as AgeBand)}
        />
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
        <CheckboxGroup
          legend={t('witness.vulnerabilities')}
          className="field wide-fieldset"
          idPrefix="new-vulnerability-"
          options={VULNERABILITIES}
          checked={vulnerabilities}
          optionLabel={(v) => t(`vulnerability.${v}`)}
          onChange={setVulnerabilities}
        />
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
            {PERSONAL_FIELDS.map(({ key, id, label }) =>
              key === 'notes' ? (
                <TextAreaField
                  key={key}
                  id={`new-${id}`}
                  label={t(label)}
                  rows={3}
                  value={personal[key]}
                  onChange={(e) => setField(key, e.target.value)}
                />
              ) : (
                <Field
                  key={key}
                  id={`new-${id}`}
                  label={t(label)}
                  type="text"
                  autoComplete="off"
                  placeholder={key === 'date_of_birth' ? 'YYYY-MM-DD' : undefined}
                  value={personal[key]}
                  onChange={(e) => setField(key, e.target.value)}
                />
              ),
            )}
          </div>
        </fieldset>
        <SubmitActions busy={busy}>{busy ? t('app.loading') : t('witnesses.register')}</SubmitActions>
      </form>
    </>
  );
}
