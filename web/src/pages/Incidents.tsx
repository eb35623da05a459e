// Incidents: the list (most recently changed first) and the timeline (in the order they
// happened, each date shown as precisely as it is known: "11 August 2020", "August 2020",
// "≈ 2020", undated last), filtered by act, place, facility and dates; and, for those who code,
// the passages a code was applied to, to tick and draft an incident from. The filters are kept in
// the URL (#/incidents?view=timeline&act=…), so that a view can be bookmarked.

import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';

import { hasAnyRole, type User } from '../api';
import * as cases from '../cases';
import {
  CODERS,
  codeTree,
  incidentHref,
  incidentsHref,
  newIncidentHref,
  textIn,
  type ActRef,
  type CodedPassage,
  type Framework,
  type IncidentDate,
  type ListedIncident,
} from '../cases';
import {
  DataTable,
  Field,
  LiveNotice,
  Listed,
  LoadError,
  Loading,
  NoRightsPage,
  PageHeading,
  SelectField,
  describeError,
  isForbidden,
  useLoad,
  type NoticeState,
} from '../components';
import { formatNumber, formatTime } from '../format';
import { useI18n, type Lang, type Translate } from '../i18n';
import { useHashParams, witnessHref } from '../router';
import '../cases.css';

// ---------------------------------------------------------------------------------------------
// Dates as precisely as they are known

function monthName(t: Translate, month: number, inDate: boolean): string {
  const names = t(inDate ? 'cases.monthsOf' : 'cases.months').split(',');
  return (names[month - 1] ?? String(month)).trim();
}

function capitalised(s: string): string {
  return s ? s[0].toLocaleUpperCase() + s.slice(1) : s;
}

/** One end of a date, at the granularity it is written with (YYYY, YYYY-MM, YYYY-MM-DD). */
export function partialDateLabel(t: Translate, value: string): string {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value);
  if (!m) return value;
  const [, year, month, day] = m;
  if (!month) return year;
  if (!day) return capitalised(`${monthName(t, Number(month), false)} ${year}`);
  return `${Number(day)} ${monthName(t, Number(month), true)} ${year}`;
}

/** An incident's date for people: "11 August 2020", "August 2020", "≈ 2020", a range, or "Undated". */
export function incidentDateLabel(t: Translate, date: IncidentDate): string {
  if (!date.from) return t('incidents.undated');
  const from = partialDateLabel(t, date.from);
  let text = from;
  if (date.to && date.to !== date.from) {
    const a = /^(\d{4}-\d{2})-(\d{2})$/.exec(date.from);
    const b = /^(\d{4}-\d{2})-(\d{2})$/.exec(date.to);
    // Days of one month: "11–13 August 2020".
    text =
      a && b && a[1] === b[1]
        ? `${Number(a[2])}–${partialDateLabel(t, date.to)}`
        : `${from} – ${partialDateLabel(t, date.to)}`;
  }
  return date.precision === 'approximate' ? `≈ ${text}` : text;
}

/** What a precision says, for a help text or a title. */
export function precisionLabel(t: Translate, precision: string): string {
  switch (precision) {
    case 'day':
      return t('incidents.precision.day');
    case 'month':
      return t('incidents.precision.month');
    case 'year':
      return t('incidents.precision.year');
    case 'approximate':
      return t('incidents.precision.approximate');
    default:
      return precision;
  }
}

export function actLabel(a: ActRef, lang: Lang): string {
  return textIn(a.labels, lang, a.label || a.id);
}

export function actsText(acts: readonly ActRef[], lang: Lang): string {
  return acts.map((a) => actLabel(a, lang)).join(', ');
}

/** The title, or its acts when it has none. */
export function incidentTitle(t: Translate, lang: Lang, i: { title: string; acts: ActRef[] }): string {
  return i.title || actsText(i.acts, lang) || t('incidents.untitled');
}

// ---------------------------------------------------------------------------------------------
// The framework's codes, for choosing an act

export function useFramework() {
  return useLoad(useCallback(() => cases.getFramework().then((r) => r.framework), []));
}

/** Codes in tree order, for a <select>: indented by depth, retired ones left out. */
export function codeOptions(framework: Framework | null, lang: Lang): { id: string; label: string }[] {
  if (!framework) return [];
  return codeTree(framework)
    .filter(({ code }) => !code.retired)
    .map(({ code, depth }) => ({ id: code.id, label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${textIn(code.labels, lang, code.id)}` }));
}

export function codeLabel(framework: Framework | null, id: string, lang: Lang): string {
  const code = framework?.codes.find((c) => c.id === id);
  return code ? textIn(code.labels, lang, id) : id;
}

// ---------------------------------------------------------------------------------------------
// The page

const FILTERS = ['act', 'place', 'facility', 'from', 'to'] as const;
type FilterName = (typeof FILTERS)[number];
type Filters = Record<FilterName, string>;

function filtersOf(params: URLSearchParams): Filters {
  const f = {} as Filters;
  for (const name of FILTERS) f[name] = params.get(name) ?? '';
  return f;
}

/** YYYY, YYYY-MM or YYYY-MM-DD, or nothing. */
const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

export function IncidentsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const params = useHashParams();
  const timeline = params.get('view') === 'timeline';
  const filters = useMemo(() => filtersOf(params), [params]);
  const key = JSON.stringify([timeline, filters]);

  const framework = useFramework();
  const listed = useLoad(useCallback(() => cases.listIncidents(filters, timeline), [filters, timeline]));
  // Every incident, for the places and facilities one can filter by.
  const all = useLoad(useCallback(() => cases.listIncidents({}, false), []));
  const codes = hasAnyRole(user, CODERS);

  if (isForbidden(listed.error)) return <NoRightsPage title={t('incidents.title')} />;

  const href = (next: Partial<Filters> & { view?: string }) =>
    incidentsHref({ view: timeline ? 'timeline' : undefined, ...filters, ...next });

  return (
    <>
      <PageHeading>{t('incidents.title')}</PageHeading>
      <p>{t('incidents.intro')}</p>
      {codes ? (
        <p className="actions">
          <a className="button-link" href={newIncidentHref()}>
            {t('incidents.newBlank')}
          </a>
        </p>
      ) : null}

      <nav className="view-switch" aria-label={t('incidents.views')}>
        <a href={href({ view: undefined })} aria-current={timeline ? undefined : 'page'}>
          {t('incidents.viewList')}
        </a>
        <a href={href({ view: 'timeline' })} aria-current={timeline ? 'page' : undefined}>
          {t('incidents.viewTimeline')}
        </a>
      </nav>

      <IncidentFilters
        key={key}
        filters={filters}
        framework={framework.data}
        known={all.data?.incidents ?? []}
        onApply={(f) => {
          window.location.hash = href(f);
        }}
        onClear={() => {
          window.location.hash = incidentsHref({ view: timeline ? 'timeline' : undefined });
        }}
      />

      <section aria-labelledby="incidents-results-heading">
        <h2 id="incidents-results-heading">{timeline ? t('incidents.timelineHeading') : t('incidents.listHeading')}</h2>
        <Listed
          error={listed.error}
          items={listed.data?.incidents}
          empty={Object.values(filters).some((v) => v) ? t('incidents.noneMatch') : t('incidents.none')}
        >
          {(items) => (timeline ? <Timeline items={items} /> : <IncidentTable items={items} />)}
        </Listed>
      </section>

      {codes ? (
        <section aria-labelledby="draft-incident-heading" className="panel">
          <h2 id="draft-incident-heading">{t('incidents.fromPassagesHeading')}</h2>
          <p className="help">{t('incidents.fromPassagesHelp')}</p>
          <PassagePicker
            idPrefix="pick"
            framework={framework.data}
            frameworkError={framework.error}
            actionLabel={t('incidents.draftFromSelected')}
            onUse={async (ids) => {
              window.location.hash = newIncidentHref(ids);
            }}
          />
        </section>
      ) : null}
    </>
  );
}

function IncidentFilters({
  filters,
  framework,
  known,
  onApply,
  onClear,
}: {
  filters: Filters;
  framework: Framework | null;
  known: readonly ListedIncident[];
  onApply: (f: Filters) => void;
  onClear: () => void;
}) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<Filters>(filters);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const set = (name: FilterName, value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const distinct = (pick: (i: ListedIncident) => string, current: string) =>
    [...new Set([...known.map(pick), current].filter((v) => v))].sort((a, b) => a.localeCompare(b));
  const options = codeOptions(framework, lang);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    for (const name of ['from', 'to'] as const) {
      if (draft[name] && !PARTIAL_DATE.test(draft[name].trim())) {
        setNotice({ kind: 'error', text: t('incidents.badDate') });
        document.getElementById(`filter-${name}`)?.focus();
        return;
      }
    }
    setNotice(null);
    onApply({ ...draft, from: draft.from.trim(), to: draft.to.trim() });
  };

  return (
    <form className="filter-form incident-filters" onSubmit={submit} noValidate aria-label={t('incidents.filters')}>
      <SelectField
        id="filter-act"
        label={t('incidents.act')}
        options={options.map((o) => o.id)}
        optionLabel={(id) => options.find((o) => o.id === id)?.label ?? id}
        emptyOption={t('incidents.anyAct')}
        value={draft.act}
        onChange={(e) => set('act', e.target.value)}
      />
      <SelectField
        id="filter-place"
        label={t('incidents.place')}
        options={distinct((i) => i.place, draft.place)}
        emptyOption={t('incidents.anyPlace')}
        value={draft.place}
        onChange={(e) => set('place', e.target.value)}
      />
      <SelectField
        id="filter-facility"
        label={t('incidents.facility')}
        options={distinct((i) => i.facility, draft.facility)}
        emptyOption={t('incidents.anyFacility')}
        value={draft.facility}
        onChange={(e) => set('facility', e.target.value)}
      />
      <Field
        id="filter-from"
        label={t('incidents.from')}
        aria-describedby="filter-dates-help"
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder="2020-08"
        value={draft.from}
        onChange={(e) => set('from', e.target.value)}
      />
      <Field
        id="filter-to"
        label={t('incidents.to')}
        aria-describedby="filter-dates-help"
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder="2020-12-31"
        value={draft.to}
        onChange={(e) => set('to', e.target.value)}
      />
      <div className="actions">
        <button type="submit">{t('incidents.apply')}</button>
        <button type="button" className="button-secondary" onClick={onClear}>
          {t('incidents.clear')}
        </button>
      </div>
      <p id="filter-dates-help" className="help filter-help">
        {t('incidents.dateHelp')}
      </p>
      <LiveNotice notice={notice} className="filter-help" />
    </form>
  );
}

function EvidenceCount({ i }: { i: ListedIncident }) {
  const { t, lang } = useI18n();
  return (
    <>
      {formatNumber(i.evidence, lang)}
      {i.evidence_erased > 0 ? (
        <span className="badge badge-erased">{t('incidents.erasedCount', { n: formatNumber(i.evidence_erased, lang) })}</span>
      ) : null}
    </>
  );
}

function IncidentTable({ items }: { items: readonly ListedIncident[] }) {
  const { t, lang } = useI18n();
  return (
    <DataTable
      className="incidents-table"
      caption="incidents.listHeading"
      columns={[
        'incidents.colTitle',
        'incidents.colActs',
        'incidents.colDate',
        'incidents.place',
        'incidents.facility',
        { label: 'incidents.colPassages', className: 'num' },
        'incidents.colChanged',
      ]}
    >
      {items.map((i) => (
        <tr key={i.id} data-incident={i.id}>
          <th scope="row">
            <a href={incidentHref(i.id)}>{incidentTitle(t, lang, i)}</a>
          </th>
          <td>{actsText(i.acts, lang) || '—'}</td>
          <td>
            <span title={precisionLabel(t, i.date.precision)}>{incidentDateLabel(t, i.date)}</span>
          </td>
          <td>{i.place || '—'}</td>
          <td>{i.facility || '—'}</td>
          <td className="num">
            <EvidenceCount i={i} />
          </td>
          <td>
            <time dateTime={i.updated_at}>{formatTime(i.updated_at, lang)}</time>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function placementNote(t: Translate, placement: string | undefined): string | null {
  switch (placement) {
    case 'start-of-month':
      return t('incidents.placement.month');
    case 'start-of-year':
      return t('incidents.placement.year');
    case 'approximate':
      return t('incidents.placement.approximate');
    default:
      return null;
  }
}

/** The incidents in the order they happened; each date as precisely as it is known. */
function Timeline({ items }: { items: readonly ListedIncident[] }) {
  const { t, lang } = useI18n();
  return (
    <ol className="timeline" aria-label={t('incidents.timelineHeading')}>
      {items.map((i) => {
        const note = placementNote(t, i.placement);
        return (
          <li key={i.id} className="timeline-entry" data-incident={i.id} data-placement={i.placement ?? 'undated'}>
            <div className="timeline-when">
              {i.placed_at ? (
                <time dateTime={i.placed_at} data-testid="timeline-date">
                  {incidentDateLabel(t, i.date)}
                </time>
              ) : (
                <span data-testid="timeline-date">{incidentDateLabel(t, i.date)}</span>
              )}
              {note ? <span className="timeline-precision">{note}</span> : null}
            </div>
            <div className="timeline-what">
              <h3>
                <a href={incidentHref(i.id)}>{incidentTitle(t, lang, i)}</a>
              </h3>
              {i.acts.length > 0 ? <p className="timeline-acts">{actsText(i.acts, lang)}</p> : null}
              <p className="muted">
                {[i.place, i.facility].filter((v) => v).join(' · ') || t('incidents.noPlace')}
                {' · '}
                {t('incidents.passagesCited', { n: formatNumber(i.evidence, lang) })}
                {i.evidence_erased > 0 ? ` (${t('incidents.erasedCount', { n: formatNumber(i.evidence_erased, lang) })})` : ''}
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

// ---------------------------------------------------------------------------------------------
// Choosing coded passages

/** Passages shown at once; the rest are counted. */
const PASSAGES_SHOWN = 50;

function spanText(t: Translate, p: { kind: string; begin?: number; end?: number }): string {
  if (p.kind === 'region') return t('cases.spanPage', { page: p.begin ?? 0 });
  if (p.kind === 'time') return t('cases.spanTime', { begin: p.begin ?? 0, end: p.end ?? 0 });
  return t('cases.spanText', { begin: p.begin ?? 0, end: p.end ?? 0 });
}

/**
 * A code chosen from the framework, the passages it (or a code under it) was applied to, with
 * their text (each object read is logged), ticked and handed to `onUse`.
 */
export function PassagePicker({
  idPrefix,
  framework,
  frameworkError,
  actionLabel,
  exclude = [],
  onUse,
}: {
  idPrefix: string;
  framework: Framework | null;
  frameworkError: unknown;
  actionLabel: string;
  /** Annotations already cited: shown as such, not offered. */
  exclude?: readonly string[];
  onUse: (annotationIds: string[]) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const [code, setCode] = useState('');
  const [passages, setPassages] = useState<{ passages: CodedPassage[]; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [texts, setTexts] = useState<Record<string, string | null>>({});
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<NoticeState | null>(null);

  useEffect(() => {
    setPassages(null);
    setSelected([]);
    setError(null);
    if (!code) return;
    let cancelled = false;
    cases.codedPassages(code, PASSAGES_SHOWN).then(
      (r) => !cancelled && setPassages(r),
      (e) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [code]);

  // The passages' words, from their objects in the coding view (a logged read of each object).
  const shown = passages?.passages ?? [];
  const objects = [...new Set(shown.map((p) => p.object_id))].join(',');
  useEffect(() => {
    if (!objects) return;
    let cancelled = false;
    (async () => {
      for (const id of objects.split(',')) {
        try {
          const o = await cases.codingObject(id);
          if (cancelled) return;
          setTexts((prev) => {
            const next = { ...prev };
            for (const a of o.annotations) next[a.id] = a.passage;
            return next;
          });
        } catch {
          // The passage stays without its words; the list says so.
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [objects]);

  const options = codeOptions(framework, lang);
  const use = async () => {
    setBusy(true);
    setNotice(null);
    try {
      await onUse(selected);
      setSelected([]);
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    } finally {
      setBusy(false);
    }
  };

  if (frameworkError) return <LoadError error={frameworkError} />;
  return (
    <div className="passage-picker">
      <div className="filter-form">
        <SelectField
          id={`${idPrefix}-code`}
          label={t('incidents.pickCode')}
          options={options.map((o) => o.id)}
          optionLabel={(id) => options.find((o) => o.id === id)?.label ?? id}
          emptyOption={t('incidents.chooseCode')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </div>
      {!code ? null : error ? (
        <LoadError error={error} />
      ) : !passages ? (
        <Loading />
      ) : passages.passages.length === 0 ? (
        <p>{t('incidents.noPassages', { code: codeLabel(framework, code, lang) })}</p>
      ) : (
        <>
          <p role="status" data-testid="passage-total">
            {passages.total > shown.length
              ? t('incidents.passagesSome', { shown: formatNumber(shown.length, lang), n: formatNumber(passages.total, lang) })
              : t('incidents.passagesAll', { n: formatNumber(passages.total, lang) })}
          </p>
          <DataTable
            className="passages-table"
            caption="incidents.passagesCaption"
            columns={['incidents.colChoose', 'incidents.colWitness', 'incidents.colPassage', 'incidents.colCode', 'incidents.colDate', 'incidents.colWhere']}
          >
            {shown.map((p, n) => {
              const cited = exclude.includes(p.annotation_id);
              const id = `${idPrefix}-passage-${p.annotation_id}`;
              const words = texts[p.annotation_id];
              return (
                <tr key={p.annotation_id} data-annotation={p.annotation_id}>
                  <td>
                    <input
                      type="checkbox"
                      id={id}
                      disabled={cited}
                      checked={cited || selected.includes(p.annotation_id)}
                      onChange={(e) =>
                        setSelected((prev) =>
                          e.target.checked ? [...prev, p.annotation_id] : prev.filter((x) => x !== p.annotation_id),
                        )
                      }
                    />
                    <label htmlFor={id} className="visually-hidden">
                      {t('incidents.choosePassage', { n: n + 1, witness: p.witness })}
                    </label>
                    {cited ? <span className="muted"> {t('incidents.alreadyCited')}</span> : null}
                  </td>
                  <td>
                    <a href={witnessHref(p.witness)}>{p.witness}</a>
                  </td>
                  <td>
                    {words ? <blockquote className="passage">{words}</blockquote> : <span className="muted">{spanText(t, p)}</span>}
                    <a className="small-link" href={cases.codingHref(p.object_id, p.annotation_id)}>
                      {t('cases.openCoding')}
                    </a>
                  </td>
                  <td>{codeLabel(framework, p.code, lang)}</td>
                  <td>{p.date ? partialDateLabel(t, p.date) : '—'}</td>
                  <td>{[p.place, p.facility].filter((v) => v).join(' · ') || '—'}</td>
                </tr>
              );
            })}
          </DataTable>
          <div className="actions">
            <button type="button" onClick={use} disabled={busy || selected.length === 0}>
              {actionLabel} ({formatNumber(selected.length, lang)})
            </button>
          </div>
        </>
      )}
      <LiveNotice notice={notice} />
    </div>
  );
}
