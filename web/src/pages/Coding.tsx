// The coding workspace of one object: its text (or image, or recording) on the left with every
// coding on it highlighted — overlaps darker — and on the right the codes of the framework with a
// filter box, the coding selected with its codes, facets and memo, and the list of codings.
//
// To code: select a passage (or drag a rectangle on an image, or mark a start and an end on the
// player), then press Enter for the code highlighted in the filtered list, a number key for a
// recently used code, or click a code. Offsets are converted between the browser's UTF-16 and the
// API's code points (codepoints.ts). Every change carries the version the coder saw; a change made
// meanwhile by someone else is refused (409) and the page offers to reload.

import {
  Fragment,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type MouseEvent as ReactMouseEvent,
  type PointerEvent as ReactPointerEvent,
  type SyntheticEvent,
  type ReactNode,
} from 'react';

import * as api from '../api';
import {
  ApiError,
  DATE_PRECISIONS,
  WITNESS_CODE,
  hasAnyRole,
  type Annotation,
  type AnnotationDraft,
  type CodingObject,
  type FrameworkCode,
  type Target,
  type User,
} from '../api';
import {
  appliedLabel,
  changedSinceCoded,
  EMPTY_FACETS,
  codeLabel,
  codeTree,
  filterTree,
  formatMs,
  inLang,
  INCIDENT_DATE,
  loadRecent,
  percent,
  rememberRecent,
  splitList,
} from '../coding';
import { OffsetMap } from '../codepoints';
import {
  Field,
  LiveNotice,
  LoadError,
  Loading,
  NoRightsPage,
  PageHeading,
  SelectField,
  TextAreaField,
  describeError,
  isForbidden,
  useLoad,
  type NoticeState,
} from '../components';
import { formatTime } from '../format';
import { useI18n, type Lang, type Translate } from '../i18n';
import { searchHref, useHashParams, witnessHref } from '../router';

export function CodingPage({ id, user }: { id: string; user: User }) {
  const { t } = useI18n();
  const loaded = useLoad(useCallback(() => api.getCodingObject(id), [id]));
  const framework = useLoad(useCallback(() => api.getFramework(), []));
  const error = loaded.error ?? framework.error;
  if (isForbidden(error)) return <NoRightsPage title={t('coding.titleLoading')} />;
  const data = loaded.data;
  const witness = data?.object.witness ?? '';
  return (
    <>
      <PageHeading>{data ? t('coding.title', { witness: witness || '—' }) : t('coding.titleLoading')}</PageHeading>
      {data && WITNESS_CODE.test(witness) ? (
        <p>
          <a href={witnessHref(witness)}>{t('interview.back', { code: witness })}</a>
        </p>
      ) : null}
      {error ? (
        <LoadError error={error} />
      ) : data === null || framework.data === null ? (
        <Loading />
      ) : (
        <Workspace data={data} codes={framework.data.framework.codes} user={user} onReload={loaded.reload} />
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// The workspace

type Shown = 'text' | 'image' | 'pdf' | 'audio' | 'video' | 'other';

/** The facets and memo of a coding as the form holds them (lists as typed). */
interface Draft {
  codes: string[];
  dateFrom: string;
  dateTo: string;
  precision: string;
  place: string;
  facility: string;
  persons: string;
  units: string;
  victims: string;
  perpetrators: string;
  memo: string;
}

function draftOf(a: Annotation): Draft {
  const f = a.facets;
  return {
    codes: a.codes.map((c) => c.id),
    dateFrom: f.date.from,
    dateTo: f.date.to,
    precision: f.date.precision || 'day',
    place: f.place,
    facility: f.facility,
    persons: f.persons.join(', '),
    units: f.units.join(', '),
    victims: f.victims,
    perpetrators: f.perpetrators,
    memo: a.memo,
  };
}

/** Only what says where: the API refuses fields of another kind of target as meaningless. */
function targetOf(a: Target): Target {
  return a.kind === 'region'
    ? { kind: 'region', page: a.page ?? 1, x: a.x ?? 0, y: a.y ?? 0, width: a.width ?? 0, height: a.height ?? 0 }
    : { kind: a.kind, begin: a.begin ?? 0, end: a.end ?? 0 };
}

function byPosition(a: Annotation, b: Annotation): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.kind === 'region') return (a.page ?? 0) - (b.page ?? 0) || (a.y ?? 0) - (b.y ?? 0) || (a.x ?? 0) - (b.x ?? 0);
  return (a.begin ?? 0) - (b.begin ?? 0) || (a.end ?? 0) - (b.end ?? 0);
}

/** Where a coding lies, in words: its passage, its region or its time range. */
function whereText(t: Translate, target: Target & { passage?: string }, text: string | null, map: OffsetMap | null): string {
  if (target.kind === 'region') {
    return t('coding.region', {
      page: target.page ?? 1,
      x: percent(target.x),
      y: percent(target.y),
      width: percent(target.width),
      height: percent(target.height),
    });
  }
  if (target.kind === 'time') return t('coding.timeRange', { from: formatMs(target.begin ?? 0), to: formatMs(target.end ?? 0) });
  if (target.passage) return target.passage;
  if (text !== null && map) return text.slice(map.toUnits(target.begin ?? 0), map.toUnits(target.end ?? 0));
  return '';
}

/** A failure of a change: a refusal for staleness says so and offers to reload. */
function isStale(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409;
}

function Workspace({
  data,
  codes,
  user,
  onReload,
}: {
  data: CodingObject;
  codes: FrameworkCode[];
  user: User;
  onReload: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const params = useHashParams();
  const wanted = params.get('annotation');

  const [annotations, setAnnotations] = useState<Annotation[]>(() => [...data.annotations].sort(byPosition));
  useEffect(() => setAnnotations([...data.annotations].sort(byPosition)), [data]);
  const [selectedId, setSelectedId] = useState<string | null>(wanted);
  const [pending, setPending] = useState<Target | null>(null);
  const [recent, setRecent] = useState<string[]>(loadRecent);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  // Scrolls the text to the selected coding when it was chosen from elsewhere than the text.
  const [scrollTick, setScrollTick] = useState(wanted ? 1 : 0);

  const text = data.text;
  const map = useMemo(() => (text === null ? null : new OffsetMap(text)), [text]);

  // What the object is, when it is not text: a read of its first bytes (logged, like any read).
  const [shown, setShown] = useState<Shown | null>(text !== null ? 'text' : null);
  const [shownError, setShownError] = useState<unknown>(null);
  const objectId = data.object.id;
  useEffect(() => {
    if (text !== null) return;
    let cancelled = false;
    api.displayType(objectId).then(
      (type) => {
        if (cancelled) return;
        if (type.startsWith('image/')) setShown('image');
        else if (type === 'application/pdf') setShown('pdf');
        else if (type.startsWith('audio/')) setShown('audio');
        else if (type.startsWith('video/')) setShown('video');
        else setShown('other');
      },
      (e) => {
        if (!cancelled) setShownError(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [objectId, text]);

  // A coding asked for in the address (a search hit): selected and scrolled to.
  useEffect(() => {
    if (!wanted) return;
    setSelectedId(wanted);
    setScrollTick((n) => n + 1);
  }, [wanted]);
  const wantedMissing = wanted !== null && !annotations.some((a) => a.id === wanted);

  const selected = annotations.find((a) => a.id === selectedId) ?? null;
  const mayCode = data.may_code;
  const isLead = hasAnyRole(user, ['lead']);
  const canChange = (a: Annotation) => mayCode && (a.coder === user.username || isLead);

  // The editor's draft belongs to the selected coding's version.
  const [draft, setDraft] = useState<Draft | null>(null);
  const draftKey = selected ? `${selected.id}@${selected.version}` : '';
  useEffect(() => {
    setDraft(selected ? draftOf(selected) : null);
    setStale(false);
  }, [draftKey]);

  // The codes one may apply: not retired, as a tree, filtered.
  const byId = useMemo(() => new Map(codes.map((c) => [c.id, c])), [codes]);
  const rows = useMemo(() => codeTree(codes.filter((c) => !c.retired)), [codes]);
  const [filter, setFilter] = useState('');
  const shownRows = useMemo(() => filterTree(rows, filter, lang), [rows, filter, lang]);
  const choices = useMemo(() => shownRows.filter((r) => r.match), [shownRows]);
  const [active, setActive] = useState(0);
  useEffect(() => setActive(0), [filter]);
  const highlighted = choices.length > 0 ? choices[Math.min(active, choices.length - 1)].code : null;
  const recentCodes = recent.map((id) => byId.get(id)).filter((c): c is FrameworkCode => !!c && !c.retired);

  const label = (id: string) => {
    const c = byId.get(id);
    return c ? codeLabel(c, lang) : id;
  };

  const fail = (e: unknown) => {
    if (isStale(e)) {
      setStale(true);
      setNotice({ kind: 'error', text: t('coding.stale', { message: e instanceof ApiError ? e.message : '' }) });
    } else {
      setNotice({ kind: 'error', text: describeError(e, t) });
    }
  };

  const create = async (codeId: string, target: Target) => {
    setBusy(true);
    setNotice(null);
    try {
      const made = await api.addAnnotation({
        object_id: objectId,
        ...targetOf(target),
        codes: [codeId],
        facets: EMPTY_FACETS,
        memo: '',
      });
      setAnnotations((prev) => [...prev, made].sort(byPosition));
      setSelectedId(made.id);
      setPending(null);
      setRecent((r) => rememberRecent(r, codeId));
      setNotice({ kind: 'success', text: t('coding.coded', { code: label(codeId) }) });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  /** A code chosen (click, Enter or a number key): it codes the selection, or joins the coding being edited. */
  const apply = (codeId: string) => {
    if (!mayCode) {
      setNotice({ kind: 'error', text: t('coding.readOnly') });
      return;
    }
    if (busy) return;
    if (pending) {
      void create(codeId, pending);
      return;
    }
    if (selected && draft && canChange(selected)) {
      if (draft.codes.includes(codeId)) {
        setNotice({ kind: 'info', text: t('coding.alreadyHas', { code: label(codeId) }) });
      } else {
        setDraft({ ...draft, codes: [...draft.codes, codeId] });
        setRecent((r) => rememberRecent(r, codeId));
        setNotice({ kind: 'info', text: t('coding.addedToDraft', { code: label(codeId) }) });
      }
      return;
    }
    setNotice({ kind: 'info', text: t('coding.selectFirst') });
  };

  const onTextKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape') {
      setPending(null);
      return;
    }
    if (!pending) return;
    if (e.key === 'Enter' && highlighted) {
      e.preventDefault();
      apply(highlighted.id);
    } else if (/^[1-9]$/.test(e.key)) {
      const c = recentCodes[Number(e.key) - 1];
      if (c) {
        e.preventDefault();
        apply(c.id);
      }
    }
  };

  const pick = (id: string | null, scroll = false) => {
    setSelectedId(id);
    if (id) setPending(null);
    if (scroll) setScrollTick((n) => n + 1);
  };

  const save = async (a: Annotation, d: Draft) => {
    const problem = checkDraft(t, d);
    if (problem) {
      setNotice({ kind: 'error', text: problem });
      return;
    }
    setBusy(true);
    setNotice(null);
    try {
      const saved = await api.updateAnnotation(a.id, a.version, draftToApi(a, d));
      setAnnotations((prev) => prev.map((x) => (x.id === saved.id ? saved : x)).sort(byPosition));
      setNotice({ kind: 'success', text: t('coding.saved', { version: saved.version }) });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (a: Annotation) => {
    setBusy(true);
    setNotice(null);
    try {
      await api.removeAnnotation(a.id, a.version);
      setAnnotations((prev) => prev.filter((x) => x.id !== a.id));
      setSelectedId(null);
      setNotice({ kind: 'success', text: t('coding.removed') });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const reload = async () => {
    setNotice(null);
    setStale(false);
    await onReload();
  };

  let viewer: ReactNode;
  if (shownError) viewer = <LoadError error={shownError} />;
  else if (shown === null) viewer = <Loading />;
  else if (shown === 'text' && text !== null && map)
    viewer = (
      <CodedText
        text={text}
        map={map}
        annotations={annotations}
        pending={pending}
        selectedId={selectedId}
        scrollTick={scrollTick}
        onSelectSpan={(begin, end) => {
          setPending({ kind: 'text', begin, end });
          setNotice(null);
        }}
        onPick={(id) => pick(id)}
        onClear={() => setPending(null)}
        onKeyDown={onTextKey}
      />
    );
  else if (shown === 'image')
    viewer = (
      <CodedImage
        src={api.inlineUrl(objectId)}
        label={t('coding.imageLabel')}
        wholeLabel={t('coding.wholeImage')}
        annotations={annotations}
        pending={pending}
        selectedId={selectedId}
        canDraw={mayCode}
        onRegion={(r) => {
          setPending(r);
          setNotice(null);
        }}
        onPick={(id) => pick(id)}
      />
    );
  else if (shown === 'audio' || shown === 'video')
    viewer = (
      <CodedRecording
        objectId={objectId}
        video={shown === 'video'}
        annotations={annotations}
        pending={pending}
        selectedId={selectedId}
        canMark={mayCode}
        onRange={(r) => {
          setPending(r);
          setNotice(null);
        }}
        onProblem={(text) => setNotice({ kind: 'error', text })}
        onPick={(id) => pick(id)}
      />
    );
  else if (shown === 'pdf' && data.pages)
    viewer = (
      <CodedPdf
        objectId={objectId}
        pages={data.pages}
        annotations={annotations}
        pending={pending}
        selectedId={selectedId}
        canDraw={mayCode}
        onRegion={(r) => {
          setPending(r);
          setNotice(null);
        }}
        onPick={(id) => pick(id)}
      />
    );
  else if (shown === 'pdf') viewer = <p className="notice notice-info">{t('coding.pdfCannotShow')}</p>;
  else viewer = <p className="notice notice-info">{t('coding.cannotCode')}</p>;

  const help = shown === 'image' ? t('coding.helpImage') : shown === 'pdf' ? t('coding.helpPdf') : shown === 'audio' || shown === 'video' ? t('coding.helpTime') : t('coding.helpText');

  return (
    <>
      {!mayCode ? <p className="notice notice-info">{t('coding.readOnly')}</p> : null}
      {wantedMissing ? <p className="notice notice-info">{t('coding.wantedMissing')}</p> : null}
      {data.withheld > 0 ? <p className="notice notice-info">{t('coding.withheld', { n: data.withheld })}</p> : null}
      <div className="coding-layout">
        <section className="coding-object" aria-labelledby="coding-object-heading">
          <h2 id="coding-object-heading">{t(shown === 'text' ? 'coding.textHeading' : 'coding.objectHeading')}</h2>
          <p id="coding-help" className="help">
            {help}
          </p>
          {viewer}
        </section>

        <div className="coding-side">
          <LiveNotice notice={notice} />
          {stale ? (
            <div className="actions">
              <button type="button" onClick={reload} data-testid="coding-reload">
                {t('coding.reload')}
              </button>
            </div>
          ) : null}
          {mayCode ? (
            <CodePicker
              pending={pending}
              pendingText={pending ? whereText(t, pending, text, map) : ''}
              selected={selected && canChange(selected) ? selected : null}
              filter={filter}
              onFilter={setFilter}
              rows={shownRows}
              highlighted={highlighted}
              onMove={(delta) => setActive((i) => Math.max(0, Math.min(choices.length - 1, Math.min(i, choices.length - 1) + delta)))}
              onHighlight={(id) => setActive(Math.max(0, choices.findIndex((r) => r.code.id === id)))}
              recent={recentCodes}
              busy={busy}
              onApply={apply}
              onClearPending={() => setPending(null)}
            />
          ) : null}
          {selected && draft ? (
            <Editor
              key={selected.id}
              annotation={selected}
              where={whereText(t, selected, text, map)}
              draft={draft}
              onDraft={setDraft}
              label={label}
              editable={canChange(selected)}
              busy={busy}
              onSave={() => save(selected, draft)}
              onRemove={() => remove(selected)}
              onClose={() => setSelectedId(null)}
            />
          ) : null}
          <CodingList
            annotations={annotations}
            selectedId={selectedId}
            where={(a) => whereText(t, a, text, map)}
            lang={lang}
            onPick={(id) => pick(id, true)}
          />
        </div>
      </div>
    </>
  );
}

function checkDraft(t: Translate, d: Draft): string | null {
  if (d.codes.length === 0) return t('coding.needsCode');
  for (const v of [d.dateFrom, d.dateTo]) {
    if (v.trim() !== '' && !INCIDENT_DATE.test(v.trim())) return t('coding.badDate', { value: v });
  }
  return null;
}

function draftToApi(a: Annotation, d: Draft): AnnotationDraft {
  return {
    object_id: a.object_id,
    ...targetOf(a),
    codes: d.codes,
    facets: {
      date: { from: d.dateFrom.trim(), to: d.dateTo.trim(), precision: d.precision },
      place: d.place.trim(),
      facility: d.facility.trim(),
      persons: splitList(d.persons),
      units: splitList(d.units),
      victims: d.victims.trim(),
      perpetrators: d.perpetrators.trim(),
    },
    memo: d.memo,
  };
}

// ---------------------------------------------------------------------------------------------
// The text, with its codings highlighted

/** The UTF-16 offset of a DOM position inside `container` (its text before that position). */
function offsetIn(container: Node, node: Node, offset: number): number {
  const r = document.createRange();
  r.selectNodeContents(container);
  r.setEnd(node, offset);
  return r.toString().length;
}

interface Segment {
  start: number;
  end: number;
  ids: string[];
  pending: boolean;
}

function CodedText({
  text,
  map,
  annotations,
  pending,
  selectedId,
  scrollTick,
  onSelectSpan,
  onPick,
  onClear,
  onKeyDown,
}: {
  text: string;
  map: OffsetMap;
  annotations: Annotation[];
  pending: Target | null;
  selectedId: string | null;
  scrollTick: number;
  onSelectSpan: (begin: number, end: number) => void;
  onPick: (id: string | null) => void;
  onClear: () => void;
  onKeyDown: (e: KeyboardEvent) => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLPreElement>(null);

  const segments = useMemo<Segment[]>(() => {
    const spans = annotations
      .filter((a) => a.kind === 'text')
      .map((a) => ({ id: a.id, s: map.toUnits(a.begin ?? 0), e: map.toUnits(a.end ?? 0) }))
      .filter((sp) => sp.e > sp.s);
    const p = pending && pending.kind === 'text' ? { s: map.toUnits(pending.begin ?? 0), e: map.toUnits(pending.end ?? 0) } : null;
    const cuts = new Set<number>([0, text.length]);
    for (const sp of spans) {
      cuts.add(sp.s);
      cuts.add(sp.e);
    }
    if (p) {
      cuts.add(p.s);
      cuts.add(p.e);
    }
    const sorted = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
    const out: Segment[] = [];
    for (let i = 0; i + 1 < sorted.length; i++) {
      const start = sorted[i];
      const end = sorted[i + 1];
      if (end <= start) continue;
      const ids = spans.filter((sp) => sp.s <= start && sp.e >= end).map((sp) => sp.id);
      out.push({ start, end, ids, pending: p !== null && p.s <= start && p.e >= end });
    }
    return out;
  }, [annotations, pending, map, text]);

  // A selection is taken when the mouse is released (the text must not change under a drag),
  // or at once when made with the keyboard or by a script.
  const mouseDown = useRef(false);
  const justSelected = useRef(false);
  const take = useCallback((): boolean => {
    const el = ref.current;
    const sel = window.getSelection();
    if (!el || !sel || sel.rangeCount === 0 || sel.isCollapsed) return false;
    const range = sel.getRangeAt(0);
    if (!el.contains(range.startContainer) || !el.contains(range.endContainer)) return false;
    let b = offsetIn(el, range.startContainer, range.startOffset);
    let e = offsetIn(el, range.endContainer, range.endOffset);
    // White space at either end is not part of what was meant.
    while (b < e && /\s/.test(text[b])) b++;
    while (e > b && /\s/.test(text[e - 1])) e--;
    if (e <= b) return false;
    const begin = map.toPoints(b);
    // An end inside a surrogate pair (never from a real selection) includes that character.
    const end = Math.max(begin + 1, map.toPoints(e) + (map.toUnits(map.toPoints(e)) < e ? 1 : 0));
    justSelected.current = true;
    onSelectSpan(begin, end);
    sel.removeAllRanges();
    return true;
  }, [map, text, onSelectSpan]);

  useEffect(() => {
    const onChange = () => {
      if (!mouseDown.current) take();
    };
    const onUp = () => {
      if (!mouseDown.current) return;
      mouseDown.current = false;
      take();
    };
    document.addEventListener('selectionchange', onChange);
    window.addEventListener('mouseup', onUp);
    return () => {
      document.removeEventListener('selectionchange', onChange);
      window.removeEventListener('mouseup', onUp);
    };
  }, [take]);

  // The selected coding, brought into view when chosen from the list or the address.
  useEffect(() => {
    if (!scrollTick || !selectedId || !ref.current) return;
    const first = ref.current.querySelector(`[data-annotations~="${CSS.escape(selectedId)}"]`);
    first?.scrollIntoView({ block: 'center' });
  }, [scrollTick]);

  const click = (e: ReactMouseEvent) => {
    if (justSelected.current) {
      justSelected.current = false;
      return;
    }
    const hit = (e.target as Element).closest?.('[data-annotations]');
    const ids = (hit?.getAttribute('data-annotations') ?? '').split(' ').filter(Boolean);
    if (ids.length === 0) {
      onClear();
      return;
    }
    // Where codings overlap, a click again on the same place moves to the next of them; the
    // shortest comes first.
    const length = (id: string) => {
      const a = annotations.find((x) => x.id === id);
      return a ? (a.end ?? 0) - (a.begin ?? 0) : 0;
    };
    const ordered = [...ids].sort((x, y) => length(x) - length(y));
    const at = selectedId ? ordered.indexOf(selectedId) : -1;
    onPick(ordered[(at + 1) % ordered.length]);
  };

  return (
    <pre
      ref={ref}
      className="coding-text"
      tabIndex={0}
      aria-label={t('coding.textLabel')}
      aria-describedby="coding-help"
      data-testid="coding-text"
      onMouseDown={(e) => {
        if (e.button === 0) mouseDown.current = true;
        justSelected.current = false;
      }}
      onClick={click}
      onKeyDown={onKeyDown}
    >
      {segments.map((s) => {
        const piece = text.slice(s.start, s.end);
        if (s.ids.length === 0 && !s.pending) return <Fragment key={s.start}>{piece}</Fragment>;
        const classes = [];
        if (s.ids.length > 0) classes.push('coded', `coded-depth-${Math.min(s.ids.length, 3)}`);
        if (selectedId && s.ids.includes(selectedId)) classes.push('coded-selected');
        if (s.pending) classes.push('coding-pending');
        return (
          <span key={s.start} className={classes.join(' ')} data-annotations={s.ids.join(' ') || undefined} data-pending={s.pending || undefined}>
            {piece}
          </span>
        );
      })}
    </pre>
  );
}

// ---------------------------------------------------------------------------------------------
// An image, with its regions

const round4 = (v: number) => Math.round(v * 10000) / 10000;
const clamp01 = (v: number) => Math.max(0, Math.min(1, v));

/** A PDF's pages, one at a time, each coded like an image; the page of a chosen coding is shown. */
function CodedPdf({
  objectId,
  pages,
  annotations,
  pending,
  selectedId,
  canDraw,
  onRegion,
  onPick,
}: {
  objectId: string;
  pages: number;
  annotations: Annotation[];
  pending: Target | null;
  selectedId: string | null;
  canDraw: boolean;
  onRegion: (r: Target) => void;
  onPick: (id: string | null) => void;
}) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const selectedPage = annotations.find((a) => a.id === selectedId && a.kind === 'region')?.page;
  useEffect(() => {
    if (selectedPage) setPage(Math.min(Math.max(1, selectedPage), pages));
  }, [selectedPage, pages]);
  const coded = [...new Set(annotations.filter((a) => a.kind === 'region').map((a) => a.page ?? 1))].sort((a, b) => a - b);
  const turn = (to: number) => {
    setPage(to);
    onPick(null);
  };
  return (
    <>
      <div className="actions page-turner" role="group" aria-label={t('coding.pageOf', { page, pages })}>
        <button type="button" className="button-secondary" disabled={page <= 1} onClick={() => turn(page - 1)}>
          {t('coding.previousPage')}
        </button>
        <span data-testid="pdf-page" aria-live="polite">
          {t('coding.pageOf', { page, pages })}
        </span>
        <button type="button" className="button-secondary" disabled={page >= pages} onClick={() => turn(page + 1)}>
          {t('coding.nextPage')}
        </button>
      </div>
      {coded.length ? <p className="muted">{t('coding.codedOnPages', { pages: coded.join(', ') })}</p> : null}
      <CodedImage
        key={page}
        src={api.pageUrl(objectId, page)}
        page={page}
        label={t('coding.pdfLabel', { page })}
        wholeLabel={t('coding.wholePage')}
        annotations={annotations}
        pending={pending}
        selectedId={selectedId}
        canDraw={canDraw}
        onRegion={onRegion}
        onPick={onPick}
      />
    </>
  );
}

function CodedImage({
  src,
  page = 1,
  label,
  wholeLabel,
  annotations,
  pending,
  selectedId,
  canDraw,
  onRegion,
  onPick,
}: {
  src: string;
  page?: number;
  label: string;
  wholeLabel: string;
  annotations: Annotation[];
  pending: Target | null;
  selectedId: string | null;
  canDraw: boolean;
  onRegion: (r: Target) => void;
  onPick: (id: string | null) => void;
}) {
  const { lang } = useI18n();
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const downOn = useRef<string | null>(null);

  const at = (e: ReactPointerEvent) => {
    const r = svg.current!.getBoundingClientRect();
    return [clamp01((e.clientX - r.left) / Math.max(1, r.width)), clamp01((e.clientY - r.top) / Math.max(1, r.height))];
  };
  const down = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    downOn.current = (e.target as Element).closest?.('[data-annotation-id]')?.getAttribute('data-annotation-id') ?? null;
    const [x, y] = at(e);
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ x0: x, y0: y, x1: x, y1: y });
  };
  const move = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (!drag) return;
    const [x, y] = at(e);
    setDrag({ ...drag, x1: x, y1: y });
  };
  const up = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (!drag) return;
    const [x, y] = at(e);
    const box = { x: Math.min(drag.x0, x), y: Math.min(drag.y0, y), width: Math.abs(x - drag.x0), height: Math.abs(y - drag.y0) };
    setDrag(null);
    if (box.width < 0.01 || box.height < 0.01 || !canDraw) {
      onPick(downOn.current);
      return;
    }
    onRegion({ kind: 'region', page, x: round4(box.x), y: round4(box.y), width: round4(box.width), height: round4(box.height) });
  };

  const regions = annotations.filter((a) => a.kind === 'region' && (a.page ?? 1) === page);
  const shownPending = drag
    ? { x: Math.min(drag.x0, drag.x1), y: Math.min(drag.y0, drag.y1), width: Math.abs(drag.x1 - drag.x0), height: Math.abs(drag.y1 - drag.y0) }
    : pending && pending.kind === 'region' && (pending.page ?? 1) === page
      ? { x: pending.x ?? 0, y: pending.y ?? 0, width: pending.width ?? 0, height: pending.height ?? 0 }
      : null;

  return (
    <>
      <div className="region-stage">
        <img className="region-image" src={src} alt={label} draggable={false} data-testid="coding-image" />
        <svg
          ref={svg}
          className={canDraw ? 'region-overlay region-overlay-draw' : 'region-overlay'}
          viewBox="0 0 1 1"
          preserveAspectRatio="none"
          role="presentation"
          data-testid="region-overlay"
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={() => setDrag(null)}
        >
          {regions.map((a) => (
            <rect
              key={a.id}
              className={a.id === selectedId ? 'region region-selected' : 'region'}
              data-annotation-id={a.id}
              x={a.x}
              y={a.y}
              width={a.width}
              height={a.height}
              vectorEffect="non-scaling-stroke"
            >
              <title>{a.codes.map((c) => appliedLabel(c, lang)).join(', ')}</title>
            </rect>
          ))}
          {shownPending ? (
            <rect className="region region-pending" data-testid="region-pending" {...shownPending} vectorEffect="non-scaling-stroke" />
          ) : null}
        </svg>
      </div>
      {canDraw ? (
        <div className="actions">
          <button
            type="button"
            className="button-secondary"
            onClick={() => onRegion({ kind: 'region', page, x: 0, y: 0, width: 1, height: 1 })}
          >
            {wholeLabel}
          </button>
        </div>
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// A recording, with its time ranges

function CodedRecording({
  objectId,
  video,
  annotations,
  pending,
  selectedId,
  canMark,
  onRange,
  onProblem,
  onPick,
}: {
  objectId: string;
  video: boolean;
  annotations: Annotation[];
  pending: Target | null;
  selectedId: string | null;
  canMark: boolean;
  onRange: (r: Target) => void;
  onProblem: (text: string) => void;
  onPick: (id: string | null) => void;
}) {
  const { t, lang } = useI18n();
  const media = useRef<HTMLMediaElement | null>(null);
  const [start, setStart] = useState<number | null>(null);
  const [end, setEnd] = useState<number | null>(null);
  const [duration, setDuration] = useState(0);
  const [now, setNow] = useState(0);

  // Once the selection is coded (or cleared), the marks go with it.
  useEffect(() => {
    if (pending === null) {
      setStart(null);
      setEnd(null);
    }
  }, [pending]);

  const current = () => Math.round((media.current?.currentTime ?? 0) * 1000);
  const mark = (which: 'start' | 'end') => {
    const ms = current();
    const b = which === 'start' ? ms : start;
    const e = which === 'end' ? ms : end;
    if (which === 'start') setStart(ms);
    else setEnd(ms);
    if (b !== null && e !== null) {
      if (e > b) onRange({ kind: 'time', begin: b, end: e });
      else onProblem(t('coding.endBeforeStart'));
    }
  };
  const seek = (ms: number) => {
    if (media.current) media.current.currentTime = ms / 1000;
  };

  const times = annotations.filter((a) => a.kind === 'time');
  const total = Math.max(duration, ...times.map((a) => a.end ?? 0), pending?.end ?? 0, 1);
  const src = api.inlineUrl(objectId);
  const props = {
    className: 'player',
    controls: true,
    preload: 'metadata' as const,
    src,
    'aria-label': t('coding.playerLabel'),
    'data-testid': 'coding-player',
    onLoadedMetadata: (e: SyntheticEvent<HTMLMediaElement>) => {
      const d = e.currentTarget.duration;
      if (Number.isFinite(d)) setDuration(Math.round(d * 1000));
    },
    onTimeUpdate: (e: SyntheticEvent<HTMLMediaElement>) => setNow(Math.round(e.currentTarget.currentTime * 1000)),
  };
  const selected = times.find((a) => a.id === selectedId);
  return (
    <>
      {video ? <video ref={(el) => void (media.current = el)} {...props} /> : <audio ref={(el) => void (media.current = el)} {...props} />}
      <svg className="timeline" viewBox="0 0 1000 30" preserveAspectRatio="none" role="img" aria-label={t('coding.timelineLabel')}>
        <rect className="timeline-track" x={0} y={12} width={1000} height={6} />
        {times.map((a) => (
          <rect
            key={a.id}
            className={a.id === selectedId ? 'timeline-range region-selected' : 'timeline-range'}
            data-annotation-id={a.id}
            x={((a.begin ?? 0) / total) * 1000}
            y={4}
            width={Math.max(2, (((a.end ?? 0) - (a.begin ?? 0)) / total) * 1000)}
            height={22}
            onClick={() => onPick(a.id)}
          >
            <title>{a.codes.map((c) => appliedLabel(c, lang)).join(', ')}</title>
          </rect>
        ))}
        {pending && pending.kind === 'time' ? (
          <rect
            className="timeline-pending"
            x={((pending.begin ?? 0) / total) * 1000}
            y={2}
            width={Math.max(2, (((pending.end ?? 0) - (pending.begin ?? 0)) / total) * 1000)}
            height={26}
          />
        ) : null}
        <line className="timeline-now" x1={(now / total) * 1000} x2={(now / total) * 1000} y1={0} y2={30} vectorEffect="non-scaling-stroke" />
      </svg>
      <p className="help" aria-live="polite" data-testid="time-marks">
        {t('coding.marks', { start: start === null ? '—' : formatMs(start), end: end === null ? '—' : formatMs(end) })}
      </p>
      <div className="actions">
        {canMark ? (
          <>
            <button type="button" className="button-secondary" onClick={() => mark('start')}>
              {t('coding.markStart')}
            </button>
            <button type="button" className="button-secondary" onClick={() => mark('end')}>
              {t('coding.markEnd')}
            </button>
          </>
        ) : null}
        {selected ? (
          <button type="button" className="button-secondary" onClick={() => seek(selected.begin ?? 0)}>
            {t('coding.playSelected', { from: formatMs(selected.begin ?? 0) })}
          </button>
        ) : null}
      </div>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// The codes to apply: a filter box over the tree (a combobox), and the recently used codes

function CodePicker({
  pending,
  pendingText,
  selected,
  filter,
  onFilter,
  rows,
  highlighted,
  onMove,
  onHighlight,
  recent,
  busy,
  onApply,
  onClearPending,
}: {
  pending: Target | null;
  pendingText: string;
  selected: Annotation | null;
  filter: string;
  onFilter: (f: string) => void;
  rows: { code: FrameworkCode; depth: number; match: boolean }[];
  highlighted: FrameworkCode | null;
  onMove: (delta: number) => void;
  onHighlight: (id: string) => void;
  recent: FrameworkCode[];
  busy: boolean;
  onApply: (id: string) => void;
  onClearPending: () => void;
}) {
  const { t, lang } = useI18n();
  const listId = 'code-options';
  const optionId = (id: string) => `code-option-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (!highlighted || !list.current) return;
    list.current.querySelector(`#${CSS.escape(optionId(highlighted.id))}`)?.scrollIntoView({ block: 'nearest' });
  }, [highlighted]);

  const key = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      onMove(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (highlighted) onApply(highlighted.id);
    } else if (e.key === 'Escape' && filter) {
      e.preventDefault();
      onFilter('');
    }
  };

  return (
    <section className="panel code-picker" aria-labelledby="code-picker-heading">
      <h2 id="code-picker-heading">{t('coding.codesHeading')}</h2>
      <div className="coding-selection" data-testid="coding-selection">
        {pending ? (
          <>
            <p className="coding-selection-label">{t('coding.selection')}</p>
            <blockquote className="coding-passage" data-testid="pending-passage">
              {pendingText}
            </blockquote>
            <button type="button" className="button-secondary button-small" onClick={onClearPending}>
              {t('coding.clearSelection')}
            </button>
          </>
        ) : selected ? (
          <p className="help">{t('coding.pickerAddsToSelected')}</p>
        ) : (
          <p className="help">{t('coding.noSelection')}</p>
        )}
      </div>
      {recent.length > 0 ? (
        <div className="recent-codes">
          <h3 id="recent-codes-heading">{t('coding.recent')}</h3>
          <ol aria-labelledby="recent-codes-heading">
            {recent.map((c, i) => (
              <li key={c.id}>
                <button type="button" className="button-secondary button-small" disabled={busy} onClick={() => onApply(c.id)}>
                  <kbd>{i + 1}</kbd> {codeLabel(c, lang)}
                </button>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="code-filter">{t('coding.filter')}</label>
        <input
          id="code-filter"
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={highlighted ? optionId(highlighted.id) : undefined}
          aria-describedby="code-filter-help"
          autoComplete="off"
          spellCheck={false}
          value={filter}
          onChange={(e) => onFilter(e.target.value)}
          onKeyDown={key}
        />
        <p id="code-filter-help" className="help">
          {t('coding.filterHelp')}
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{t('coding.noCodeMatches')}</p>
      ) : (
        <ul id={listId} ref={list} role="listbox" className="code-options" aria-label={t('coding.codesHeading')}>
          {rows.map((r) => {
            const on = highlighted?.id === r.code.id;
            const definition = inLang(r.code.definitions, lang);
            return (
              <li
                key={r.code.id}
                id={optionId(r.code.id)}
                role="option"
                aria-selected={on}
                data-code-id={r.code.id}
                className={`code-option code-depth-${Math.min(r.depth, 5)}${on ? ' code-option-active' : ''}${r.match ? '' : ' code-option-context'}`}
                title={definition || undefined}
                onMouseEnter={() => r.match && onHighlight(r.code.id)}
                onClick={() => !busy && onApply(r.code.id)}
              >
                <span className="code-option-label">{codeLabel(r.code, lang)}</span>
                {r.code.restricted ? <span className="badge badge-restricted">{t('coding.restricted')}</span> : null}
                <code className="code-id">{r.code.id}</code>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// The selected coding: who and when, its codes, facets and memo, history

function Editor({
  annotation: a,
  where,
  draft,
  onDraft,
  label,
  editable,
  busy,
  onSave,
  onRemove,
  onClose,
}: {
  annotation: Annotation;
  where: string;
  draft: Draft;
  onDraft: (d: Draft) => void;
  label: (id: string) => string;
  editable: boolean;
  busy: boolean;
  onSave: () => void;
  onRemove: () => void;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => onDraft({ ...draft, [field]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave();
  };
  const applied = new Map(a.codes.map((c) => [c.id, c]));
  const heading = useRef<HTMLHeadingElement>(null);

  return (
    <section className="panel coding-editor" aria-labelledby="coding-editor-heading" data-annotation-id={a.id} data-version={a.version}>
      <h2 id="coding-editor-heading" ref={heading} tabIndex={-1}>
        {t('coding.editorHeading')}
      </h2>
      <blockquote className="coding-passage" data-testid="selected-passage">
        {where}
      </blockquote>
      <dl className="facts coding-meta">
        <div>
          <dt>{t('coding.coder')}</dt>
          <dd data-testid="coding-coder">{a.coder}</dd>
        </div>
        <div>
          <dt>{t('coding.codedAt')}</dt>
          <dd>
            <time dateTime={a.coded_at}>{formatTime(a.coded_at, lang)}</time>
          </dd>
        </div>
        <div>
          <dt>{t('coding.version')}</dt>
          <dd data-testid="coding-version">{a.version}</dd>
        </div>
      </dl>
      <form onSubmit={submit} noValidate className="form-stack">
        <fieldset>
          <legend>{t('coding.appliedCodes')}</legend>
          <ul className="applied-codes" data-testid="applied-codes">
            {draft.codes.map((id) => {
              const c = applied.get(id);
              return (
                <li key={id} data-code-id={id}>
                  <span>{c ? appliedLabel(c, lang) : label(id)}</span> <code className="code-id">{id}</code>
                  {c?.restricted ? <span className="badge badge-restricted">{t('coding.restricted')}</span> : null}
                  {c && changedSinceCoded(c) ? (
                    <span className="badge badge-changed" data-testid="label-changed" title={t('coding.labelChangedHelp', { now: label(id) })}>
                      {c.current_revision === null ? t('coding.codeGone') : t('coding.labelChanged')}
                    </span>
                  ) : null}
                  {!c ? <span className="badge badge-new">{t('coding.unsaved')}</span> : null}
                  {editable ? (
                    <button
                      type="button"
                      className="button-secondary button-small"
                      aria-label={t('coding.removeCodeLabel', { code: c ? appliedLabel(c, lang) : label(id) })}
                      onClick={() => onDraft({ ...draft, codes: draft.codes.filter((x) => x !== id) })}
                    >
                      ×
                    </button>
                  ) : null}
                  <a className="find-link" href={searchHref({ q: `code:${id}` })}>
                    {t('coding.findCode')}
                  </a>
                </li>
              );
            })}
          </ul>
          {editable ? <p className="help">{t('coding.addCodeHelp')}</p> : null}
        </fieldset>
        <fieldset disabled={!editable} className="facets-fieldset">
          <legend>{t('coding.facets')}</legend>
          <div className="form-grid facets-grid">
            <Field id="facet-date-from" label={t('coding.dateFrom')} help={t('coding.dateHelp')} type="text" inputMode="numeric" value={draft.dateFrom} onChange={set('dateFrom')} placeholder="2020-08-10" />
            <Field id="facet-date-to" label={t('coding.dateTo')} type="text" inputMode="numeric" value={draft.dateTo} onChange={set('dateTo')} />
            <SelectField
              id="facet-precision"
              label={t('coding.precision')}
              options={DATE_PRECISIONS}
              optionLabel={(p) => t(`coding.precision.${p}`)}
              value={draft.precision}
              onChange={set('precision')}
            />
            <Field id="facet-place" label={t('coding.place')} type="text" value={draft.place} onChange={set('place')} />
            <Field id="facet-facility" label={t('coding.facility')} type="text" value={draft.facility} onChange={set('facility')} />
            <Field id="facet-persons" label={t('coding.persons')} help={t('coding.listHelp')} type="text" value={draft.persons} onChange={set('persons')} />
            <Field id="facet-units" label={t('coding.units')} help={t('coding.listHelp')} type="text" value={draft.units} onChange={set('units')} />
            <TextAreaField id="facet-victims" label={t('coding.victims')} rows={2} value={draft.victims} onChange={set('victims')} />
            <TextAreaField id="facet-perpetrators" label={t('coding.perpetrators')} rows={2} value={draft.perpetrators} onChange={set('perpetrators')} />
            <TextAreaField id="facet-memo" label={t('coding.memo')} help={t('coding.memoHelp')} rows={3} value={draft.memo} onChange={set('memo')} />
          </div>
        </fieldset>
        <div className="actions">
          {editable ? (
            <button type="submit" disabled={busy}>
              {t('coding.save')}
            </button>
          ) : null}
          <button type="button" className="button-secondary" onClick={onClose}>
            {t('coding.close')}
          </button>
          {editable ? (
            confirming ? (
              <>
                <button type="button" className="button-danger" disabled={busy} onClick={onRemove}>
                  {t('coding.removeConfirm')}
                </button>
                <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
                  {t('coding.keep')}
                </button>
              </>
            ) : (
              <button type="button" className="button-danger" onClick={() => setConfirming(true)}>
                {t('coding.remove')}
              </button>
            )
          ) : null}
        </div>
        {!editable ? <p className="help">{t('coding.notYours')}</p> : null}
      </form>
      <History id={a.id} version={a.version} />
    </section>
  );
}

function History({ id, version }: { id: string; version: number }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [versions, setVersions] = useState<Annotation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setVersions(null);
    api.annotationHistory(id).then(
      (h) => !cancelled && setVersions(h.versions),
      (e) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [open, id, version]);
  return (
    <div className="coding-history">
      <button type="button" className="button-secondary button-small" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('coding.hideHistory') : t('coding.showHistory')}
      </button>
      {open ? (
        error ? (
          <LoadError error={error} />
        ) : versions === null ? (
          <Loading />
        ) : (
          <ol className="history-list" data-testid="coding-history">
            {versions.map((v) => (
              <li key={v.version}>
                {t('coding.historyItem', {
                  version: v.version,
                  coder: v.coder,
                  at: formatTime(v.coded_at, lang),
                  codes: v.codes.map((c) => appliedLabel(c, lang)).join(', '),
                })}
                {v.removed ? <span className="badge badge-erased"> {t('coding.historyRemoved')}</span> : null}
              </li>
            ))}
          </ol>
        )
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Every coding on the object, in order, to choose one with the keyboard

function CodingList({
  annotations,
  selectedId,
  where,
  lang,
  onPick,
}: {
  annotations: Annotation[];
  selectedId: string | null;
  where: (a: Annotation) => string;
  lang: Lang;
  onPick: (id: string) => void;
}) {
  const { t } = useI18n();
  return (
    <section className="panel coding-list-panel" aria-labelledby="coding-list-heading">
      <h2 id="coding-list-heading">{t('coding.listHeading', { n: annotations.length })}</h2>
      {annotations.length === 0 ? (
        <p className="muted">{t('coding.noCodings')}</p>
      ) : (
        <ol className="coding-list" data-testid="coding-list">
          {annotations.map((a) => {
            const text = where(a);
            return (
              <li key={a.id} data-annotation-id={a.id}>
                <button type="button" className="coding-item" aria-pressed={a.id === selectedId} onClick={() => onPick(a.id)}>
                  <span className="coding-item-where">{shorten(text, 120)}</span>
                  <span className="coding-item-codes">{a.codes.map((c) => appliedLabel(c, lang)).join(' · ')}</span>
                  <span className="coding-item-coder">{t('coding.by', { coder: a.coder })}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** At most `n` characters (code points, so that no emoji is cut in half). */
function shorten(text: string, n: number): string {
  const points = Array.from(text);
  return points.length > n ? `${points.slice(0, n - 1).join('')}…` : text;
}
