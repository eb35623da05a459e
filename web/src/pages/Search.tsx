// The search page: a query box (the query is kept in the URL, #/search?q=…, so a search can be
// bookmarked), results with their snippets in the original and in translation, facets that
// narrow the query, a preview of one hit, and saved searches with what is new for them. The
// server searches only what the reader may read; snippets arrive as escaped text in which only
// <mark> is markup, and are turned into text nodes and <mark> elements here, never into HTML.

import { Fragment, useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';

import * as api from '../api';
import {
  ApiError,
  SEARCH_FACETS,
  SEARCH_PAGE_SIZE,
  SEARCH_SORTS,
  type FacetValue,
  type SavedSearch,
  type SearchFacet,
  type SearchHit,
  type SearchResults,
  type SearchSnippet,
  type SearchSort,
} from '../api';
import {
  Field,
  LiveNotice,
  LoadError,
  Loading,
  NoRightsPage,
  PageHeading,
  SelectField,
  describeError,
  isForbidden,
  useLoad,
  useSubmit,
  type NoticeState,
} from '../components';
import { formatNumber } from '../format';
import { hasMessage, useI18n, type MessageKey, type Translate } from '../i18n';
import { codingHref, documentHref, interviewHref, searchHref, useHashParams, witnessHref } from '../router';
import { languageName } from './Texts';

// ---------------------------------------------------------------------------------------------
// Snippets: the server's escaped text with <mark>…</mark>, as text nodes and <mark> elements.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Undoes the server's escaping (&amp; &lt; &gt; &quot; &#39; and numeric references). */
function unescapeText(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,6});/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      return valid ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** The pieces of a snippet: plain text and marked text, in order. Anything else stays text. */
export function snippetPieces(html: string): { text: string; marked: boolean }[] {
  const pieces: { text: string; marked: boolean }[] = [];
  const re = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    if (m.index > last) pieces.push({ text: unescapeText(html.slice(last, m.index)), marked: false });
    pieces.push({ text: unescapeText(m[1]), marked: true });
    last = re.lastIndex;
  }
  if (last < html.length) pieces.push({ text: unescapeText(html.slice(last)), marked: false });
  return pieces;
}

function SnippetText({ html, lang }: { html: string; lang: string }) {
  return (
    <span lang={lang || undefined}>
      {snippetPieces(html).map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <Fragment key={i}>{p.text}</Fragment>))}
    </span>
  );
}

/** A text's kind in words (transcript, translation, text from a file, OCR…). */
function typeName(t: Translate, type: string): string {
  const key = `search.type.${type}`;
  return hasMessage(key) ? t(key) : type || '—';
}

function snippetLabel(t: Translate, s: SearchSnippet): string {
  return s.language ? `${typeName(t, s.type)} — ${languageName(t, s.language)}` : typeName(t, s.type);
}

function Snippets({ snippets, className }: { snippets: readonly SearchSnippet[]; className: string }) {
  const { t } = useI18n();
  return (
    <ul className={className}>
      {snippets.map((s) => (
        <li key={s.id} data-snippet-type={s.type} data-snippet-language={s.language}>
          <span className="snippet-label">{snippetLabel(t, s)}</span>
          <blockquote className="snippet">
            <SnippetText html={s.html} lang={s.language} />
          </blockquote>
        </li>
      ))}
    </ul>
  );
}

// ---------------------------------------------------------------------------------------------
// What a hit opens, and the filters facets add to a query.

/** The page (or download) a hit opens, and how the link reads. */
function opens(hit: SearchHit): { href: string; download?: string; label: MessageKey } | null {
  const slash = hit.open.indexOf('/');
  if (slash < 0) return null;
  const kind = hit.open.slice(0, slash);
  const id = hit.open.slice(slash + 1);
  if (!id) return null;
  if (kind === 'coding') {
    // "coding/<object id>?annotation=<annotation id>": the workspace, at that coding.
    const [objectId, query = ''] = id.split('?', 2);
    const annotation = new URLSearchParams(query).get('annotation') ?? undefined;
    return objectId ? { href: codingHref(objectId, annotation), label: 'search.openCoding' } : null;
  }
  if (kind === 'interview') return { href: interviewHref(id), label: 'search.openInterview' };
  if (kind === 'document') return { href: documentHref(id), label: 'search.openDocument' };
  if (kind === 'object') return { href: api.contentUrl(id), download: id, label: 'search.download' };
  return null;
}

/** The query fields of the facets one may click (the organisation facet names, the filter takes ids). */
const FACET_FIELDS: Partial<Record<SearchFacet, string>> = {
  type: 'type',
  language: 'lang',
  month: 'month',
  facility: 'facility',
  place: 'place',
  code: 'code',
};

/** `field:value`, the value in quotation marks when it holds a space or a bracket. */
export function facetFilter(facet: SearchFacet, value: string): string | null {
  const field = FACET_FIELDS[facet];
  if (!field || value === '') return null;
  const plain = /^[^\s()"]+$/.test(value);
  return `${field}:${plain ? value : `"${value.replace(/"/g, '')}"`}`;
}

function hasFilter(query: string, filter: string): boolean {
  return ` ${query.trim().replace(/\s+/g, ' ')} `.includes(` ${filter} `);
}

/** The query with the filter added, or taken out again if it is there. */
export function toggleFilter(query: string, filter: string): string {
  const q = query.trim().replace(/\s+/g, ' ');
  if (hasFilter(q, filter)) return ` ${q} `.replace(` ${filter} `, ' ').trim();
  if (!q) return filter;
  // "a OR b type:ocr" would filter only b.
  return /(^|\s)OR(\s|$)/.test(q) ? `(${q}) ${filter}` : `${q} ${filter}`;
}

// ---------------------------------------------------------------------------------------------
// The page

function isSort(v: string | null): v is SearchSort {
  return v !== null && (SEARCH_SORTS as readonly string[]).includes(v);
}

function isBadQuery(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 400;
}

interface Shown {
  /** What was asked: the results belong to these. */
  key: string;
  results: SearchResults | null;
  error: unknown;
}

export function SearchPage() {
  const { t } = useI18n();
  const params = useHashParams();
  const query = params.get('q') ?? '';
  const sortParam = params.get('sort');
  const sort: SearchSort = isSort(sortParam) ? sortParam : 'relevance';
  const offset = Math.max(0, Math.floor(Number(params.get('offset')) || 0));
  const savedParam = Number(params.get('saved'));
  const savedId = Number.isInteger(savedParam) && savedParam > 0 ? savedParam : null;

  const [draft, setDraft] = useState(query);
  useEffect(() => setDraft(query), [query]);
  const [draftSort, setDraftSort] = useState<SearchSort>(sort);
  useEffect(() => setDraftSort(sort), [sort]);
  // What came of marking a saved search as seen (it outlives the reload that follows).
  const [seenNotice, setSeenNotice] = useState<NoticeState | null>(null);
  useEffect(() => setSeenNotice(null), [savedId]);

  const saved = useLoad(useCallback(() => api.listSavedSearches(), []));

  const key = savedId !== null ? `saved:${savedId}:${offset}` : `q:${query}:${sort}:${offset}`;
  const [shown, setShown] = useState<Shown>({ key: '', results: null, error: null });
  const [reloads, setReloads] = useState(0);
  const latest = useRef('');
  useEffect(() => {
    latest.current = key;
    if (savedId === null && query.trim() === '') {
      setShown({ key, results: null, error: null });
      return;
    }
    let cancelled = false;
    (async () => {
      try {
        const r = savedId !== null ? await api.savedSearchNew(savedId, offset) : await api.search(query, offset, sort);
        if (!cancelled) setShown({ key, results: r, error: null });
      } catch (e) {
        if (!cancelled) setShown({ key, results: null, error: e });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [key, savedId, query, sort, offset, reloads]);

  const loading = shown.key !== key;
  const results = loading ? null : shown.results;
  const error = loading ? null : shown.error;
  const badQuery = isBadQuery(error) ? error : null;

  // After a facet or another page is chosen, the focus goes to the results' heading.
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const focusResults = useRef(false);
  useEffect(() => {
    if (!loading && focusResults.current) {
      focusResults.current = false;
      resultsHeading.current?.focus();
    }
  }, [loading]);

  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => setSelected(null), [key]);

  const go = (next: { q?: string; sort?: SearchSort; offset?: number; saved?: number }, focus = false) => {
    focusResults.current = focus;
    const href = searchHref({
      q: next.saved === undefined ? next.q : undefined,
      sort: next.saved === undefined && next.sort && next.sort !== 'relevance' ? next.sort : undefined,
      offset: next.offset ? next.offset : undefined,
      saved: next.saved,
    });
    if (window.location.hash === href) setReloads((n) => n + 1);
    else window.location.hash = href;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: draft.trim(), sort: draftSort });
  };

  const savedSearch = savedId !== null ? (results?.saved ?? saved.data?.saved_searches.find((s) => s.id === savedId) ?? null) : null;
  // A saved search's query is put in the box, to run it whole or change it.
  const savedQuery = savedSearch?.query;
  useEffect(() => {
    if (savedId !== null && savedQuery !== undefined) setDraft(savedQuery);
  }, [savedId, savedQuery]);

  if (isForbidden(error) || isForbidden(saved.error)) return <NoRightsPage title={t('search.title')} />;

  // The query facets refine: the one searched, or the saved search's.
  const baseQuery = savedId !== null ? (savedSearch?.query ?? '') : query;
  const hitShown = results?.hits.find((h) => h.id === selected) ?? null;

  return (
    <>
      <PageHeading>{t('search.title')}</PageHeading>
      <p>{t('search.intro')}</p>
      <form role="search" className="search-form" onSubmit={submit} noValidate aria-label={t('search.title')}>
        <div className="search-row">
          <div className="field search-box">
            <label htmlFor="search-q">{t('search.query')}</label>
            <input
              id="search-q"
              type="search"
              name="q"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              aria-describedby="search-q-error search-q-help"
              aria-invalid={badQuery ? true : undefined}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          <SelectField
            id="search-sort"
            label={t('search.sort')}
            options={SEARCH_SORTS}
            optionLabel={(s) => t(`search.sort.${s}`)}
            value={draftSort}
            disabled={savedId !== null}
            onChange={(e) => {
              if (!isSort(e.target.value)) return;
              setDraftSort(e.target.value);
              // A search on screen is sorted again at once; otherwise the order goes with the next one.
              if (query.trim() !== '' && savedId === null) go({ q: query, sort: e.target.value });
            }}
          />
          <div className="actions">
            <button type="submit">{t('search.submit')}</button>
          </div>
        </div>
        <div id="search-q-error" role="alert" className="search-error">
          {badQuery ? (
            <p className="notice notice-error" data-testid="search-error">
              {t('search.badQuery', { message: badQuery.message || badQuery.code })}
            </p>
          ) : null}
        </div>
        <p id="search-q-help" className="help">
          {t('search.help')}
        </p>
        <QuerySyntax />
      </form>

      <div className="search-layout">
        <div className="search-side">
          <SavedSearches
            saved={saved.data?.saved_searches ?? null}
            error={saved.error}
            current={savedId}
            onChanged={saved.reload}
          />
          {results ? <Facets results={results} query={baseQuery} onFilter={(q) => go({ q, sort }, true)} /> : null}
        </div>

        <section className="search-results" aria-labelledby="search-results-heading">
          <h2 id="search-results-heading" ref={resultsHeading} tabIndex={-1}>
            {savedId !== null
              ? t('search.newHeading', { name: savedSearch?.name ?? '…' })
              : t('search.resultsHeading')}
          </h2>
          {savedId !== null && savedSearch ? (
            <p className="saved-query">
              {t('search.savedQuery')} <code>{savedSearch.query}</code>{' '}
              <a href={searchHref({ q: savedSearch.query })}>{t('search.runFull')}</a>
            </p>
          ) : null}
          {loading ? (
            <Loading />
          ) : error && !badQuery ? (
            <LoadError error={error} />
          ) : results ? (
            <Results
              results={results}
              saved={savedId !== null}
              selected={selected}
              onSelect={setSelected}
              pageHref={(o) => (savedId !== null ? searchHref({ saved: savedId, offset: o || undefined }) : searchHref({ q: query, sort: sort === 'relevance' ? undefined : sort, offset: o || undefined }))}
              onPage={() => {
                focusResults.current = true;
              }}
            />
          ) : badQuery ? null : (
            <p className="muted">{t('search.empty')}</p>
          )}
          {savedId !== null && results && results.total > 0 ? (
            <MarkSeen
              savedId={savedId}
              mark={results.mark}
              onSeen={async (notice) => {
                setSeenNotice(notice);
                if (notice.kind === 'success') {
                  await saved.reload();
                  setReloads((n) => n + 1);
                }
              }}
            />
          ) : null}
          {savedId !== null ? <LiveNotice notice={seenNotice} /> : null}
          {savedId === null && results && query.trim() !== '' ? <SaveSearch query={query} onSaved={saved.reload} /> : null}
        </section>

        <Preview hit={hitShown} onClose={() => {
          const id = selected;
          setSelected(null);
          if (id) document.getElementById(`preview-button-${id}`)?.focus();
        }} />
      </div>
    </>
  );
}

/** The query language in short, under the box. */
function QuerySyntax() {
  const { t } = useI18n();
  const rows: [string, MessageKey][] = [
    ['затрымалі Окрестина', 'search.syntax.words'],
    ['"не давалі вады"', 'search.syntax.phrase'],
    ['біць OR збіваць', 'search.syntax.or'],
    ['затрыманне NOT суд', 'search.syntax.not'],
    ['затрыманне -суд', 'search.syntax.minus'],
    ['дубінка NEAR спіна', 'search.syntax.near'],
    ['дубінка NEAR/3 спіна', 'search.syntax.nearN'],
    ['затрым*', 'search.syntax.prefix'],
    ['type:ocr lang:be witness:W-00012', 'search.syntax.fields'],
    ['facility:"Akrestsina" place:Minsk org:…', 'search.syntax.names'],
    ['person:… code:… month:2020-08', 'search.syntax.more'],
    ['date:2020-08..2020-09', 'search.syntax.date'],
  ];
  return (
    <details className="query-syntax">
      <summary>{t('search.syntax')}</summary>
      <dl>
        {rows.map(([example, key]) => (
          <div key={key}>
            <dt>
              <code>{example}</code>
            </dt>
            <dd>{t(key)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function Results({
  results,
  saved,
  selected,
  onSelect,
  pageHref,
  onPage,
}: {
  results: SearchResults;
  saved: boolean;
  selected: string | null;
  onSelect: (id: string | null) => void;
  pageHref: (offset: number) => string;
  onPage: () => void;
}) {
  const { t, lang } = useI18n();
  const { hits, total, offset } = results;
  const limit = results.limit > 0 ? results.limit : SEARCH_PAGE_SIZE;
  const n = formatNumber(total, lang);
  return (
    <>
      <p role="status" className="search-total" data-testid="search-total" data-total={total}>
        {total === 0
          ? t(saved ? 'search.noneNew' : 'search.none')
          : results.total_exact
            ? t('search.total', { n })
            : t('search.totalAbout', { n })}
        {hits.length > 0 && (offset > 0 || hits.length < total) ? (
          <>
            {' '}
            {t('search.range', { from: formatNumber(offset + 1, lang), to: formatNumber(offset + hits.length, lang) })}
          </>
        ) : null}
      </p>
      {hits.length > 0 ? (
        <ol className="hit-list" start={offset + 1}>
          {hits.map((h) => (
            <HitItem key={h.id} hit={h} selected={selected === h.id} onSelect={onSelect} />
          ))}
        </ol>
      ) : null}
      {offset > 0 || offset + hits.length < total ? (
        <nav className="pager" aria-label={t('search.pages')}>
          {offset > 0 ? (
            <a className="button-link" href={pageHref(Math.max(0, offset - limit))} onClick={onPage} rel="prev">
              {t('search.previous')}
            </a>
          ) : null}
          {offset + hits.length < total && hits.length > 0 ? (
            <a className="button-link" href={pageHref(offset + limit)} onClick={onPage} rel="next">
              {t('search.next')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

/** The facts of a hit: kind, language, witness, date, organisation. */
function HitFacts({ hit }: { hit: SearchHit }) {
  const { t } = useI18n();
  return (
    <dl className="hit-facts">
      <div>
        <dt>{t('search.colType')}</dt>
        <dd data-testid="hit-type">{typeName(t, hit.type)}</dd>
      </div>
      <div>
        <dt>{t('search.colLanguage')}</dt>
        <dd data-testid="hit-language">{languageName(t, hit.language)}</dd>
      </div>
      {hit.witness ? (
        <div>
          <dt>{t('search.colWitness')}</dt>
          <dd>
            <a href={witnessHref(hit.witness)}>{hit.witness}</a>
          </dd>
        </div>
      ) : null}
      {hit.date ? (
        <div>
          <dt>{t('search.colDate')}</dt>
          <dd>{hit.date}</dd>
        </div>
      ) : null}
      {hit.organisation ? (
        <div>
          <dt>{t('search.colOrganisation')}</dt>
          <dd>{hit.organisation}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function HitTitle({ hit, id }: { hit: SearchHit; id?: string }) {
  const { t } = useI18n();
  const target = opens(hit);
  const title = hit.title || typeName(t, hit.type);
  return target ? (
    <a id={id} href={target.href} download={target.download}>
      {title}
    </a>
  ) : (
    <span id={id}>{title}</span>
  );
}

/** Hits show this many passages; the preview shows them all. */
const SNIPPETS_IN_LIST = 2;

function HitItem({ hit, selected, onSelect }: { hit: SearchHit; selected: boolean; onSelect: (id: string | null) => void }) {
  const { t } = useI18n();
  const titleId = `hit-title-${hit.id}`;
  const more = hit.snippets.length - SNIPPETS_IN_LIST;
  return (
    <li className={selected ? 'hit hit-selected' : 'hit'} data-hit-id={hit.id} data-hit-type={hit.type} data-hit-language={hit.language}>
      <article aria-labelledby={titleId}>
        <h3 className="hit-title">
          <HitTitle hit={hit} id={titleId} />
        </h3>
        <HitFacts hit={hit} />
        {hit.snippets.length > 0 ? <Snippets snippets={hit.snippets.slice(0, SNIPPETS_IN_LIST)} className="snippets" /> : null}
        <div className="hit-actions">
          <button
            type="button"
            id={`preview-button-${hit.id}`}
            className="button-secondary button-small"
            aria-pressed={selected}
            aria-controls="search-preview"
            onClick={() => onSelect(selected ? null : hit.id)}
          >
            {more > 0 ? t('search.previewAll', { n: hit.snippets.length }) : t('search.preview')}
            <span className="visually-hidden">: {hit.title || typeName(t, hit.type)}</span>
          </button>
        </div>
      </article>
    </li>
  );
}

/** The selected hit in the side panel: every passage, larger, and what it opens. */
function Preview({ hit, onClose }: { hit: SearchHit | null; onClose: () => void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const id = hit?.id;
  useEffect(() => {
    if (id) heading.current?.focus();
  }, [id]);
  const target = hit ? opens(hit) : null;
  return (
    <aside id="search-preview" className="search-preview" aria-labelledby="search-preview-heading" data-testid="search-preview">
      <h2 id="search-preview-heading" ref={heading} tabIndex={-1}>
        {t('search.previewHeading')}
      </h2>
      {hit ? (
        <div className="preview-body" data-preview-id={hit.id}>
          <h3 className="hit-title">{hit.title || typeName(t, hit.type)}</h3>
          <HitFacts hit={hit} />
          {hit.snippets.length > 0 ? <Snippets snippets={hit.snippets} className="snippets snippets-large" /> : <p className="muted">{t('search.noSnippet')}</p>}
          <div className="actions">
            {target ? (
              <a className="button-link" href={target.href} download={target.download}>
                {t(target.label)}
              </a>
            ) : null}
            <button type="button" className="button-secondary" onClick={onClose}>
              {t('search.closePreview')}
            </button>
          </div>
        </div>
      ) : (
        <p className="muted">{t('search.previewNone')}</p>
      )}
    </aside>
  );
}

function facetValueLabel(t: Translate, facet: SearchFacet, value: string): string {
  if (facet === 'type') return typeName(t, value);
  if (facet === 'language') return value ? languageName(t, value) : t('search.languageUnknown');
  return value || '—';
}

function Facets({ results, query, onFilter }: { results: SearchResults; query: string; onFilter: (q: string) => void }) {
  const { t, lang } = useI18n();
  const groups = SEARCH_FACETS.map((f) => [f, results.facets?.[f] ?? []] as [SearchFacet, FacetValue[]]).filter(
    ([, values]) => values.length > 0,
  );
  return (
    <section className="facets" aria-labelledby="facets-heading" data-testid="facets">
      <h2 id="facets-heading">{t('search.facets')}</h2>
      {groups.length === 0 ? (
        <p className="muted">{t('search.noFacets')}</p>
      ) : (
        <>
          <p className="help">{t('search.facetsHelp')}</p>
          {!results.total_exact && (
            <p className="help" data-testid="facets-estimated">
              {t('search.facetsEstimated')}
            </p>
          )}
          {groups.map(([facet, values]) => (
            <div key={facet} className="facet-group" data-facet={facet}>
              <h3 id={`facet-${facet}`}>{t(`search.facet.${facet}`)}</h3>
              <ul aria-labelledby={`facet-${facet}`}>
                {values.map((v) => {
                  const filter = facetFilter(facet, v.value);
                  const label = facetValueLabel(t, facet, v.value);
                  const count = (
                    <span className="facet-count">
                      {results.total_exact ? '' : '≈'}
                      {formatNumber(v.count, lang)}
                    </span>
                  );
                  if (!filter || !query.trim()) {
                    return (
                      <li key={v.value} data-facet-value={v.value}>
                        <span className="facet-static">
                          {label} {count}
                        </span>
                      </li>
                    );
                  }
                  const on = hasFilter(query, filter);
                  return (
                    <li key={v.value} data-facet-value={v.value}>
                      <button
                        type="button"
                        className="facet-button"
                        aria-pressed={on}
                        title={filter}
                        onClick={() => onFilter(toggleFilter(query, filter))}
                      >
                        {label} {count}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </>
      )}
    </section>
  );
}

function SaveSearch({ query, onSaved }: { query: string; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const { busy, notice, setNotice, showError, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return showError(t('search.saveNameNeeded'), 'save-search-name');
    await run(async () => {
      const s = await api.saveSearch(name.trim(), query);
      setName('');
      await onSaved();
      setNotice({ kind: 'success', text: t('search.saved', { name: s.name }) });
    }, (e) => showError(isBadQuery(e) ? t('search.badQuery', { message: e.message }) : describeError(e, t)));
  };
  return (
    <form className="save-search" onSubmit={submit} noValidate aria-labelledby="save-search-heading">
      <h3 id="save-search-heading">{t('search.save')}</h3>
      <div className="save-search-row">
        <Field
          id="save-search-name"
          label={t('search.saveName')}
          help={t('search.saveNameHelp')}
          type="text"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('search.save')}
          </button>
        </div>
      </div>
      <LiveNotice notice={notice} />
    </form>
  );
}

function MarkSeen({ savedId, mark, onSeen }: { savedId: number; mark: number; onSeen: (notice: NoticeState) => Promise<void> }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const seen = async () => {
    setBusy(true);
    try {
      await api.markSavedSearchSeen(savedId, mark);
      await onSeen({ kind: 'success', text: t('search.markedSeen') });
    } catch (e) {
      await onSeen({ kind: 'error', text: describeError(e, t) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="actions mark-seen">
      <button type="button" onClick={seen} disabled={busy}>
        {t('search.markSeen')}
      </button>
    </div>
  );
}

function SavedSearches({
  saved,
  error,
  current,
  onChanged,
}: {
  saved: SavedSearch[] | null;
  error: unknown;
  current: number | null;
  onChanged: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const remove = async (s: SavedSearch) => {
    try {
      await api.deleteSavedSearch(s.id);
      await onChanged();
      setNotice({ kind: 'success', text: t('search.savedDeleted', { name: s.name }) });
      if (current === s.id) window.location.hash = searchHref({});
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    }
  };
  let body: ReactNode;
  if (error) body = <LoadError error={error} />;
  else if (saved === null) body = <Loading />;
  else if (saved.length === 0) body = <p className="muted">{t('search.savedNone')}</p>;
  else
    body = (
      <ul className="saved-list">
        {saved.map((s) => (
          <li key={s.id} data-saved-id={s.id} data-new={s.new}>
            <a href={searchHref({ saved: s.id })} aria-current={current === s.id ? 'true' : undefined} title={s.query}>
              {s.name}
            </a>{' '}
            <span className={s.new > 0 ? 'badge badge-new' : 'badge badge-none'} data-testid="saved-new">
              {t('search.savedNew', { n: formatNumber(s.new, lang) })}
            </span>
            <button
              type="button"
              className="button-secondary button-small"
              onClick={() => remove(s)}
              aria-label={t('search.savedDeleteLabel', { name: s.name })}
            >
              {t('search.savedDelete')}
            </button>
          </li>
        ))}
      </ul>
    );
  return (
    <section className="saved-searches" aria-labelledby="saved-searches-heading">
      <h2 id="saved-searches-heading">{t('search.savedHeading')}</h2>
      {body}
      <LiveNotice notice={notice} />
    </section>
  );
}
