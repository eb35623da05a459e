// An incident: what was done, when, where, to whom and by whom, and every passage it cites as
// it stands now (its words, or "withheld" where the reader's roles do not open it, or "erased"
// with the witness's material); changed and removed by those who code in its organisation, each
// change a new version (a stale version is refused: reload); its history. The editor also makes
// new incidents: blank, or drafted from coded passages (#/incidents/new?annotations=…).

import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';

import { ApiError, hasAnyRole, organisationsWhere, type User } from '../api';
import * as cases from '../cases';
import {
  CODERS,
  DATE_PRECISIONS,
  EVIDENCE_ROLES,
  codingHref,
  incidentHref,
  incidentsHref,
  type ActRef,
  type CitedPassage,
  type Incident,
  type IncidentInput,
  type Victim,
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
  useLoad,
  useSubmit,
  type NoticeState,
} from '../components';
import { formatTime } from '../format';
import { useI18n, type Translate } from '../i18n';
import { useHashParams, witnessHref } from '../router';
import {
  PassagePicker,
  actLabel,
  actsText,
  codeOptions,
  incidentDateLabel,
  incidentTitle,
  partialDateLabel,
  precisionLabel,
  useFramework,
} from './Incidents';

export function IncidentPage({ id, user }: { id: string; user: User }) {
  if (id === 'new') return <NewIncident user={user} />;
  return <ExistingIncident id={id} user={user} />;
}

// ---------------------------------------------------------------------------------------------
// Reading

function ExistingIncident({ id, user }: { id: string; user: User }) {
  const { t, lang } = useI18n();
  const { data, error, reload } = useLoad(useCallback(() => cases.getIncident(id), [id]));
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const mayChange = data ? organisationsWhere(user, CODERS).includes(data.organisation) && !data.removed : false;

  return (
    <>
      <PageHeading>{data ? t('incident.title', { title: incidentTitle(t, lang, data) }) : t('incident.titleLoading')}</PageHeading>
      <p>
        <a href={incidentsHref()}>{t('incident.back')}</a>
      </p>
      <LiveNotice notice={notice} />
      {error ? (
        <LoadError error={error} />
      ) : !data ? (
        <Loading />
      ) : editing ? (
        <IncidentEditor
          key={`edit-${data.version}`}
          user={user}
          initial={data}
          onCancel={() => setEditing(false)}
          onSaved={async (saved) => {
            setEditing(false);
            await reload();
            setNotice({ kind: 'success', text: t('incident.saved', { version: saved.version }) });
          }}
          onReload={async () => {
            setEditing(false);
            await reload();
            setNotice({ kind: 'info', text: t('incident.reloaded') });
          }}
        />
      ) : (
        <>
          <IncidentView incident={data} />
          {mayChange ? (
            <div className="actions">
              <button
                type="button"
                onClick={() => {
                  setNotice(null);
                  setEditing(true);
                }}
              >
                {t('incident.edit')}
              </button>
            </div>
          ) : null}
          <IncidentHistory id={data.id} version={data.version} />
          {mayChange ? (
            <RemoveIncident
              incident={data}
              onRemoved={async () => {
                await reload();
                setNotice({ kind: 'success', text: t('incident.removedNotice') });
              }}
            />
          ) : null}
        </>
      )}
    </>
  );
}

function IncidentView({ incident: i }: { incident: Incident }) {
  const { t, lang } = useI18n();
  return (
    <>
      {i.removed ? (
        <p className="notice notice-info" data-testid="incident-removed">
          {t('incident.isRemoved')}
        </p>
      ) : null}
      <section aria-labelledby="incident-facts-heading">
        <h2 id="incident-facts-heading">{t('incident.facts')}</h2>
        <dl className="facts">
          <Fact term={t('incidents.colActs')} testId="incident-acts">
            {actsText(i.acts, lang) || '—'}
          </Fact>
          <Fact term={t('incident.when')} testId="incident-date">
            {incidentDateLabel(t, i.date)}
            {i.date.from ? <span className="muted"> ({precisionLabel(t, i.date.precision)})</span> : null}
          </Fact>
          <Fact term={t('incidents.place')}>{i.place || '—'}</Fact>
          <Fact term={t('incidents.facility')}>{i.facility || '—'}</Fact>
          <Fact term={t('incident.organisation')}>{i.organisation}</Fact>
          <Fact term={t('incident.version')}>{i.version}</Fact>
          <Fact term={t('incident.created')}>
            {i.created_by} · <time dateTime={i.created_at}>{formatTime(i.created_at, lang)}</time>
          </Fact>
          <Fact term={t('incident.updated')}>
            {i.updated_by} · <time dateTime={i.updated_at}>{formatTime(i.updated_at, lang)}</time>
          </Fact>
        </dl>
      </section>

      <section aria-labelledby="incident-victims-heading">
        <h2 id="incident-victims-heading">{t('incident.victims')}</h2>
        {i.victims.length === 0 ? (
          <p className="muted">{t('incident.noVictims')}</p>
        ) : (
          <ul className="plain-list victims-list">
            {i.victims.map((v, n) => (
              <li key={n}>
                {v.witness ? <a href={witnessHref(v.witness)}>{v.witness}</a> : null}
                {v.witness && v.description ? ' — ' : null}
                {v.description}
                {v.harm ? (
                  <>
                    {': '}
                    <span className="victim-harm">{v.harm}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="incident-perpetrators-heading">
        <h2 id="incident-perpetrators-heading">{t('incident.perpetrators')}</h2>
        <dl className="facts">
          <Fact term={t('incident.persons')}>{i.perpetrators.persons.join(', ') || '—'}</Fact>
          <Fact term={t('incident.units')}>{i.perpetrators.units.join(', ') || '—'}</Fact>
          <Fact term={t('incident.perpetratorsDescription')}>{i.perpetrators.description || '—'}</Fact>
        </dl>
      </section>

      <section aria-labelledby="incident-summary-heading">
        <h2 id="incident-summary-heading">{t('incident.summary')}</h2>
        {i.summary ? <p className="prose" data-testid="incident-summary">{i.summary}</p> : <p className="muted">{t('incident.noSummary')}</p>}
      </section>

      <section aria-labelledby="incident-evidence-heading">
        <h2 id="incident-evidence-heading">{t('incident.evidence', { n: i.evidence.length })}</h2>
        {i.evidence.length === 0 ? (
          <p className="muted">{t('incident.noEvidence')}</p>
        ) : (
          <ol className="cited-list">
            {i.evidence.map((e) => (
              <CitedItem key={e.annotation_id} passage={e} />
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function roleLabel(t: Translate, role: string): string {
  return role === 'contradicts' ? t('incident.role.contradicts') : t('incident.role.supports');
}

/** A cited passage: its words, or why they are not shown. */
function CitedItem({ passage: e, children }: { passage: CitedPassage; children?: ReactNode }) {
  const { t, lang } = useI18n();
  return (
    <li className="cited" data-annotation={e.annotation_id} data-state={e.state} data-withheld={e.withheld ? 'true' : 'false'}>
      <p className="cited-head">
        <span className={`badge role-${e.role === 'contradicts' ? 'contradicts' : 'supports'}`}>{roleLabel(t, e.role)}</span>{' '}
        {t('incident.passageOf')} <a href={witnessHref(e.witness)}>{e.witness}</a>
        {e.codes.length > 0 ? <> · {e.codes.map((c) => actLabel(c, lang)).join(', ')}</> : null}
        {e.date ? <> · {partialDateLabel(t, e.date)}</> : null}
      </p>
      {e.state === 'erased' ? (
        <p className="notice notice-info" data-testid="cited-erased">
          {t('incident.passageErased')}
        </p>
      ) : e.withheld ? (
        <p className="notice notice-info" data-testid="cited-withheld">
          {t('incident.passageWithheld')}
        </p>
      ) : (
        <>
          {e.state === 'removed' ? <p className="muted">{t('incident.passageRemoved')}</p> : null}
          {e.passage ? <blockquote className="passage">{e.passage}</blockquote> : null}
          <p className="cited-where muted">
            {t('cases.object')} <code>{e.object_id}</code>
            {e.kind ? <> · {e.kind === 'text' ? t('cases.spanText', { begin: e.begin ?? 0, end: e.end ?? 0 }) : e.kind}</> : null}
            {' · '}
            <a href={codingHref(e.object_id, e.annotation_id)}>{t('cases.openCoding')}</a>
          </p>
        </>
      )}
      {children}
    </li>
  );
}

function IncidentHistory({ id, version }: { id: string; version: number }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby="incident-history-heading" className="panel">
      <h2 id="incident-history-heading">{t('incident.history')}</h2>
      {!open ? (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
            {t('incident.showHistory')}
          </button>
        </div>
      ) : (
        <HistoryTable key={version} id={id} lang={lang} t={t} />
      )}
    </section>
  );
}

function HistoryTable({ id, lang, t }: { id: string; lang: Parameters<typeof formatTime>[1]; t: Translate }) {
  const { data, error } = useLoad(useCallback(() => cases.incidentHistory(id), [id]));
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  return (
    <DataTable
      className="incident-history"
      caption="incident.history"
      columns={[
        { label: 'incident.version', className: 'num' },
        'incidents.colTitle',
        'incidents.colDate',
        'incidents.colWhere',
        { label: 'incidents.colPassages', className: 'num' },
        'incident.changedBy',
        'incidents.colChanged',
      ]}
    >
      {[...data.versions].reverse().map((v) => (
        <tr key={v.version} data-version={v.version}>
          <th scope="row" className="num">
            v{v.version}
          </th>
          <td>
            {incidentTitle(t, lang, v)}
            {v.removed ? <span className="badge badge-erased">{t('incident.removedBadge')}</span> : null}
          </td>
          <td>{incidentDateLabel(t, v.date)}</td>
          <td>{[v.place, v.facility].filter((x) => x).join(' · ') || '—'}</td>
          <td className="num">{v.evidence}</td>
          <td>{v.updated_by}</td>
          <td>
            <time dateTime={v.updated_at}>{formatTime(v.updated_at, lang)}</time>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function RemoveIncident({ incident, onRemoved }: { incident: Incident; onRemoved: () => Promise<void> }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const { busy, notice, run } = useSubmit();
  return (
    <section aria-labelledby="remove-incident-heading" className="panel danger-zone">
      <h2 id="remove-incident-heading">{t('incident.removeHeading')}</h2>
      <p>{t('incident.removeExplain')}</p>
      <LiveNotice notice={notice} />
      <div className="actions">
        {!open ? (
          <button type="button" className="button-danger" onClick={() => setOpen(true)}>
            {t('incident.removeStart')}
          </button>
        ) : (
          <>
            <button
              type="button"
              className="button-danger"
              disabled={busy}
              onClick={() =>
                run(async () => {
                  await cases.removeIncident(incident.id, incident.version);
                  await onRemoved();
                })
              }
            >
              {t('incident.removeConfirm')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
              {t('incident.cancel')}
            </button>
          </>
        )}
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Making and changing

function NewIncident({ user }: { user: User }) {
  const { t } = useI18n();
  const params = useHashParams();
  const annotations = params.get('annotations') ?? '';
  const { data, error } = useLoad(
    useCallback(
      () => (annotations ? cases.draftIncident(annotations.split(',').filter((x) => x)) : Promise.resolve(null)),
      [annotations],
    ),
  );
  const loading = annotations !== '' && data === null && !error;
  return (
    <>
      <PageHeading>{t('incident.newTitle')}</PageHeading>
      <p>
        <a href={incidentsHref()}>{t('incident.back')}</a>
      </p>
      {!hasAnyRole(user, CODERS) ? (
        <p className="notice notice-error" role="alert">
          {t('error.notAllowed')}
        </p>
      ) : error ? (
        <LoadError error={error} />
      ) : loading ? (
        <Loading />
      ) : (
        <>
          <p className="help">{annotations ? t('incident.draftedHelp') : t('incident.blankHelp')}</p>
          <IncidentEditor
            key={annotations}
            user={user}
            initial={data}
            onCancel={() => {
              window.location.hash = incidentsHref();
            }}
            onSaved={async (saved) => {
              window.location.hash = incidentHref(saved.id);
            }}
          />
        </>
      )}
    </>
  );
}

interface EditorState {
  organisation: string;
  title: string;
  acts: ActRef[];
  from: string;
  to: string;
  precision: string;
  place: string;
  facility: string;
  victims: Victim[];
  persons: string;
  units: string;
  perpetrators: string;
  summary: string;
  evidence: CitedPassage[];
}

function stateOf(i: Incident | null, organisation: string): EditorState {
  return {
    organisation: i?.organisation || organisation,
    title: i?.title ?? '',
    acts: i?.acts ?? [],
    from: i?.date.from ?? '',
    to: i?.date.to ?? '',
    precision: i?.date.precision || 'day',
    place: i?.place ?? '',
    facility: i?.facility ?? '',
    victims: i?.victims ?? [],
    persons: i?.perpetrators.persons.join(', ') ?? '',
    units: i?.perpetrators.units.join(', ') ?? '',
    perpetrators: i?.perpetrators.description ?? '',
    summary: i?.summary ?? '',
    evidence: i?.evidence ?? [],
  };
}

const names = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x);

function inputOf(s: EditorState): IncidentInput {
  return {
    organisation: s.organisation || undefined,
    title: s.title.trim(),
    acts: s.acts.map((a) => a.id),
    date: { from: s.from.trim(), to: s.to.trim(), precision: s.precision },
    place: s.place.trim(),
    facility: s.facility.trim(),
    victims: s.victims
      .map((v) => ({ witness: v.witness.trim(), description: v.description.trim(), harm: v.harm.trim() }))
      .filter((v) => v.witness || v.description || v.harm),
    perpetrators: { persons: names(s.persons), units: names(s.units), description: s.perpetrators.trim() },
    summary: s.summary,
    evidence: s.evidence.map((e) => ({ annotation_id: e.annotation_id, role: e.role })),
  };
}

/** Suggestions for a place or facility as it is typed (names in every language). */
function useSuggestions(kind: 'place' | 'facility', value: string): string[] {
  const [found, setFound] = useState<string[]>([]);
  useEffect(() => {
    const q = value.trim();
    if (q.length < 2) {
      setFound([]);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(async () => {
      try {
        const list = kind === 'place' ? (await cases.suggestPlaces(q)).places : (await cases.suggestFacilities(q)).facilities;
        if (cancelled) return;
        const out: string[] = [];
        for (const p of list) for (const n of [p.names.en, p.names.be, p.names.ru]) if (n && !out.includes(n)) out.push(n);
        setFound(out);
      } catch {
        if (!cancelled) setFound([]);
      }
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [kind, value]);
  return found;
}

function SuggestField({
  id,
  kind,
  label,
  help,
  value,
  onChange,
}: {
  id: string;
  kind: 'place' | 'facility';
  label: string;
  help: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const suggestions = useSuggestions(kind, value);
  const listId = `${id}-suggestions`;
  return (
    <>
      <Field id={id} label={label} help={help} type="text" autoComplete="off" list={listId} value={value} onChange={(e) => onChange(e.target.value)} />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  );
}

function IncidentEditor({
  user,
  initial,
  onCancel,
  onSaved,
  onReload,
}: {
  user: User;
  /** The incident to change (with an id), a draft to complete (without), or null for a blank one. */
  initial: Incident | null;
  onCancel: () => void;
  onSaved: (saved: Incident) => Promise<void>;
  /** After a refusal for a stale version: drop the edits and show the newest version. */
  onReload?: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const changing = Boolean(initial?.id);
  const myOrganisations = organisationsWhere(user, CODERS);
  const [s, setS] = useState<EditorState>(() => stateOf(initial, myOrganisations[0] ?? ''));
  const [actToAdd, setActToAdd] = useState('');
  const [stale, setStale] = useState(false);
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const framework = useFramework();
  const uid = useId();
  const titleRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  const set = <K extends keyof EditorState>(key: K, value: EditorState[K]) => setS((prev) => ({ ...prev, [key]: value }));
  const options = codeOptions(framework.data, lang);

  const addAct = () => {
    if (!actToAdd || s.acts.some((a) => a.id === actToAdd)) return;
    const code = framework.data?.codes.find((c) => c.id === actToAdd);
    set('acts', [...s.acts, { id: actToAdd, revision: code?.revision ?? 1, label: code?.labels.en ?? actToAdd, labels: code?.labels ?? {} }]);
    setActToAdd('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!s.title.trim() && s.acts.length === 0) return showError(t('incident.titleOrAct'), 'incident-title');
    if (!changing && myOrganisations.length > 1 && !s.organisation) return showError(t('incident.chooseOrganisation'), 'incident-organisation');
    setStale(false);
    await run(
      async () => {
        const input = inputOf(s);
        const saved = changing && initial ? await cases.updateIncident(initial.id, initial.version, input) : await cases.addIncident(input);
        await onSaved(saved);
      },
      (err) => {
        if (err instanceof ApiError && err.status === 409) {
          setStale(true);
          setNotice({ kind: 'error', text: t('incident.stale', { message: err.message }) });
        } else {
          setNotice({ kind: 'error', text: describeError(err, t) });
        }
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="incident-editor" aria-label={changing ? t('incident.editHeading') : t('incident.newTitle')}>
      <LiveNotice notice={notice} />
      {stale && onReload ? (
        <div className="actions">
          <button type="button" onClick={() => void onReload()}>
            {t('incident.reload')}
          </button>
        </div>
      ) : null}

      <fieldset>
        <legend>{t('incident.what')}</legend>
        <div className="form-grid">
          {!changing && myOrganisations.length > 1 ? (
            <SelectField
              id="incident-organisation"
              label={t('incident.organisation')}
              options={myOrganisations}
              emptyOption={t('incident.chooseOrganisation')}
              value={s.organisation}
              onChange={(e) => set('organisation', e.target.value)}
            />
          ) : null}
          <Field
            id="incident-title"
            ref={titleRef}
            label={t('incident.titleField')}
            help={t('incident.titleHelp')}
            type="text"
            maxLength={500}
            autoComplete="off"
            value={s.title}
            onChange={(e) => set('title', e.target.value)}
          />
        </div>
        <h3 id={`${uid}-acts`}>{t('incidents.colActs')}</h3>
        {s.acts.length === 0 ? (
          <p className="muted">{t('incident.noActs')}</p>
        ) : (
          <ul className="chip-list" aria-labelledby={`${uid}-acts`}>
            {s.acts.map((a) => (
              <li key={a.id} data-act={a.id}>
                {actLabel(a, lang)}{' '}
                <button
                  type="button"
                  className="button-secondary button-small"
                  aria-label={t('incident.removeAct', { act: actLabel(a, lang) })}
                  onClick={() => set('acts', s.acts.filter((x) => x.id !== a.id))}
                >
                  {t('incident.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="filter-form">
          <SelectField
            id="incident-add-act"
            label={t('incident.addAct')}
            options={options.map((o) => o.id)}
            optionLabel={(id) => options.find((o) => o.id === id)?.label ?? id}
            emptyOption={t('incidents.chooseCode')}
            value={actToAdd}
            onChange={(e) => setActToAdd(e.target.value)}
          />
          <div className="actions">
            <button type="button" className="button-secondary" onClick={addAct} disabled={!actToAdd}>
              {t('incident.addActButton')}
            </button>
          </div>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('incident.whenWhere')}</legend>
        <div className="form-grid">
          <Field
            id="incident-from"
            label={t('incident.dateFrom')}
            help={t('incident.dateHelp')}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder="2020-08-11"
            value={s.from}
            onChange={(e) => set('from', e.target.value)}
          />
          <Field
            id="incident-to"
            label={t('incident.dateTo')}
            help={t('incident.dateToHelp')}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={s.to}
            onChange={(e) => set('to', e.target.value)}
          />
          <SelectField
            id="incident-precision"
            label={t('incident.precision')}
            options={DATE_PRECISIONS}
            optionLabel={(p) => precisionLabel(t, p)}
            value={s.precision}
            onChange={(e) => set('precision', e.target.value)}
          />
          <SuggestField id="incident-place" kind="place" label={t('incidents.place')} help={t('incident.placeHelp')} value={s.place} onChange={(v) => set('place', v)} />
          <SuggestField
            id="incident-facility"
            kind="facility"
            label={t('incidents.facility')}
            help={t('incident.facilityHelp')}
            value={s.facility}
            onChange={(v) => set('facility', v)}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('incident.victims')}</legend>
        {s.victims.map((v, n) => (
          <fieldset key={n} className="victim-fieldset">
            <legend>{t('incident.victimN', { n: n + 1 })}</legend>
            <div className="form-grid">
              <Field
                id={`victim-${n}-witness`}
                label={t('incident.victimWitness')}
                type="text"
                autoComplete="off"
                value={v.witness}
                onChange={(e) => set('victims', s.victims.map((x, i) => (i === n ? { ...x, witness: e.target.value } : x)))}
              />
              <Field
                id={`victim-${n}-description`}
                label={t('incident.victimDescription')}
                type="text"
                autoComplete="off"
                value={v.description}
                onChange={(e) => set('victims', s.victims.map((x, i) => (i === n ? { ...x, description: e.target.value } : x)))}
              />
              <Field
                id={`victim-${n}-harm`}
                label={t('incident.victimHarm')}
                type="text"
                autoComplete="off"
                value={v.harm}
                onChange={(e) => set('victims', s.victims.map((x, i) => (i === n ? { ...x, harm: e.target.value } : x)))}
              />
              <div className="actions">
                <button type="button" className="button-secondary button-small" onClick={() => set('victims', s.victims.filter((_, i) => i !== n))}>
                  {t('incident.removeVictim', { n: n + 1 })}
                </button>
              </div>
            </div>
          </fieldset>
        ))}
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => set('victims', [...s.victims, { witness: '', description: '', harm: '' }])}>
            {t('incident.addVictim')}
          </button>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('incident.perpetrators')}</legend>
        <div className="form-grid">
          <Field
            id="incident-persons"
            label={t('incident.persons')}
            help={t('incident.namesHelp')}
            type="text"
            autoComplete="off"
            value={s.persons}
            onChange={(e) => set('persons', e.target.value)}
          />
          <Field
            id="incident-units"
            label={t('incident.units')}
            help={t('incident.namesHelp')}
            type="text"
            autoComplete="off"
            value={s.units}
            onChange={(e) => set('units', e.target.value)}
          />
          <TextAreaField
            id="incident-perpetrators"
            label={t('incident.perpetratorsDescription')}
            rows={2}
            value={s.perpetrators}
            onChange={(e) => set('perpetrators', e.target.value)}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('incident.summary')}</legend>
        <div className="form-grid">
          <TextAreaField
            id="incident-summary"
            label={t('incident.summaryField')}
            help={t('incident.summaryHelp')}
            rows={5}
            value={s.summary}
            onChange={(e) => set('summary', e.target.value)}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('incident.evidence', { n: s.evidence.length })}</legend>
        {s.evidence.length === 0 ? (
          <p className="muted">{t('incident.noEvidence')}</p>
        ) : (
          <ol className="cited-list">
            {s.evidence.map((e, n) => (
              <CitedItem key={e.annotation_id} passage={e}>
                <div className="filter-form">
                  <SelectField
                    id={`evidence-${n}-role`}
                    label={t('incident.roleField', { n: n + 1 })}
                    options={EVIDENCE_ROLES}
                    optionLabel={(r) => roleLabel(t, r)}
                    value={e.role}
                    onChange={(ev) => set('evidence', s.evidence.map((x, i) => (i === n ? { ...x, role: ev.target.value } : x)))}
                  />
                  <div className="actions">
                    <button
                      type="button"
                      className="button-secondary button-small"
                      onClick={() => set('evidence', s.evidence.filter((_, i) => i !== n))}
                    >
                      {t('incident.uncite', { n: n + 1 })}
                    </button>
                  </div>
                </div>
              </CitedItem>
            ))}
          </ol>
        )}
        <details className="add-passages">
          <summary>{t('incident.addPassages')}</summary>
          <PassagePicker
            idPrefix="add"
            framework={framework.data}
            frameworkError={framework.error}
            actionLabel={t('incident.citeSelected')}
            exclude={s.evidence.map((e) => e.annotation_id)}
            onUse={async (ids) => {
              // The draft endpoint reads the passages (as the reader may see them) without storing anything.
              const drafted = await cases.draftIncident(ids);
              setS((prev) => ({
                ...prev,
                evidence: [...prev.evidence, ...drafted.evidence.filter((e) => !prev.evidence.some((x) => x.annotation_id === e.annotation_id))],
              }));
              setNotice({ kind: 'success', text: t('incident.cited', { n: ids.length }) });
            }}
          />
        </details>
      </fieldset>

      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('app.loading') : changing ? t('incident.saveChanges') : t('incident.create')}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          {t('incident.cancel')}
        </button>
      </div>
    </form>
  );
}
