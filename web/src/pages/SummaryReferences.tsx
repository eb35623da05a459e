// The references of a summary's free-text field: the numbered list under the text (quoting each
// passage, with its object, span and a link to the coding workspace) and, while editing, the
// citing of the witness's coded passages and the removal of references. "[n]" in the text is
// references[n - 1]; removing reference n drops its markers and renumbers those after it, so
// the text never cites a reference that is not there (the server refuses such a text).

import { useCallback, useRef, useState, type Ref } from 'react';

import * as cases from '../cases';
import { codingHref, type CitableCoding, type SummaryReference, type SummaryText } from '../cases';
import { LoadError, Loading, TextAreaField, useLoad } from '../components';
import { useI18n, type Translate } from '../i18n';
import { codeLabel } from './Incidents';

/** Where a reference points: the span, page or time of its object. */
export function referenceWhere(t: Translate, r: SummaryReference): string {
  if (r.kind === 'region') return t('cases.spanPage', { page: r.page ?? 0 });
  if (r.kind === 'time') return t('cases.spanTime', { begin: r.begin ?? 0, end: r.end ?? 0 });
  return t('cases.spanText', { begin: r.begin ?? 0, end: r.end ?? 0 });
}

/** The field without reference n (from 1): its markers dropped, the later ones renumbered. */
export function withoutReference(field: SummaryText, n: number): SummaryText {
  const count = field.references.length;
  const text = field.text.replace(/( ?)\[(\d{1,6})\]/g, (marker: string, space: string, digits: string) => {
    const k = Number(digits);
    if (k === n) return '';
    return k > n && k <= count ? `${space}[${k - 1}]` : marker;
  });
  return { text, references: field.references.filter((_, i) => i !== n - 1) };
}

/** The reference a coding becomes: what the server checks and completes, nothing else. */
function referenceOf(c: CitableCoding): SummaryReference {
  const r: SummaryReference = { kind: c.kind, annotation_id: c.annotation_id, object_id: c.object_id, object_sha256: c.object_sha256 };
  if (c.kind === 'region') r.page = c.page;
  else {
    r.begin = c.begin;
    r.end = c.end;
  }
  if (c.kind === 'text') r.passage = c.passage;
  return r;
}

/**
 * The field citing `c` at position `at` of its text: a coding already cited keeps its number,
 * a new one is appended; its marker is written at `at`, after a space when it follows a word.
 */
export function citing(field: SummaryText, c: CitableCoding, at: number): SummaryText {
  const known = field.references.findIndex((r) => r.annotation_id === c.annotation_id);
  const references = known >= 0 ? field.references : [...field.references, referenceOf(c)];
  const n = known >= 0 ? known + 1 : references.length;
  const pos = Math.max(0, Math.min(at, field.text.length));
  const before = field.text.slice(0, pos);
  const marker = `${before && !/\s$/.test(before) ? ' ' : ''}[${n}]`;
  return { text: before + marker + field.text.slice(pos), references };
}

/** The numbered references of a field; with `onRemove`, each can be taken out. */
export function References({ id, references, onRemove }: { id: string; references: SummaryReference[]; onRemove?: (n: number) => void }) {
  const { t } = useI18n();
  if (references.length === 0) return null;
  return (
    <details className="references" open>
      <summary>{t('summary.references', { n: references.length })}</summary>
      <ol>
        {references.map((r, i) => (
          <li key={i} data-reference={i + 1} id={`${id}-ref-${i + 1}`}>
            <span className="ref-label">[{i + 1}]</span>{' '}
            {r.kind === 'text' && r.passage ? <q className="passage-quote">{r.passage}</q> : null}
            <span className="ref-where muted">
              {' '}
              {t('cases.object')} <code>{r.object_id}</code> · {referenceWhere(t, r)} ·{' '}
              <a href={codingHref(r.object_id, r.annotation_id)}>{t('cases.openCoding')}</a>
            </span>
            {onRemove ? (
              <>
                {' '}
                <button
                  type="button"
                  className="button-secondary button-small"
                  aria-label={t('summary.removeReferenceLabel', { n: i + 1 })}
                  onClick={() => onRemove(i + 1)}
                >
                  {t('summary.removeReference')}
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** The witness's codings an editor may cite, read when first opened (the read is logged). */
function CitePicker({ id, summaryId, onCite }: { id: string; summaryId: string; onCite: (c: CitableCoding) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <details className="cite-picker" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t('summary.cite')}</summary>
      {open ? <CitableList id={id} summaryId={summaryId} onCite={onCite} /> : null}
    </details>
  );
}

function CitableList({ id, summaryId, onCite }: { id: string; summaryId: string; onCite: (c: CitableCoding) => void }) {
  const { t, lang } = useI18n();
  const { data, error } = useLoad(useCallback(() => cases.citableCodings(summaryId), [summaryId]));
  const { data: framework } = useLoad(useCallback(() => cases.getFramework().then((f) => f.framework), []));
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  return (
    <>
      <p className="help">{t('summary.citeHelp')}</p>
      {data.passages.length === 0 ? <p className="muted">{t('summary.citeNone')}</p> : null}
      <ol className="citable" aria-label={t('summary.cite')}>
        {data.passages.map((c, i) => (
          <li key={c.annotation_id} data-annotation={c.annotation_id} id={`${id}-citable-${i + 1}`}>
            {c.kind === 'text' && c.passage ? <q className="passage-quote">{c.passage}</q> : <span>{referenceWhere(t, c)}</span>}{' '}
            <span className="muted">{c.codes.map((code) => codeLabel(framework, code, lang)).join(', ')}</span>{' '}
            <button type="button" className="button-secondary button-small" aria-label={t('summary.citeLabel', { n: i + 1 })} onClick={() => onCite(c)}>
              {t('summary.citeButton')}
            </button>
          </li>
        ))}
      </ol>
      {data.withheld ? <p className="muted">{t('summary.citeWithheld', { n: data.withheld })}</p> : null}
    </>
  );
}

/** A field being edited: its text, its references (removable) and the citing of codings. */
export function CitedTextField({
  id,
  summaryId,
  label,
  rows,
  field,
  onChange,
  inputRef,
}: {
  id: string;
  summaryId: string;
  label: string;
  rows: number;
  field: SummaryText;
  onChange: (field: SummaryText) => void;
  inputRef?: Ref<HTMLTextAreaElement>;
}) {
  const { t } = useI18n();
  // Where the cursor was when the text was last left: a button press takes the focus away.
  const cursor = useRef<number | null>(null);
  return (
    <>
      <div className="form-grid">
        <TextAreaField
          id={id}
          ref={inputRef}
          label={label}
          help={t('summary.markersHelp', { n: field.references.length })}
          rows={rows}
          value={field.text}
          onChange={(e) => onChange({ ...field, text: e.target.value })}
          onBlur={(e) => {
            cursor.current = e.currentTarget.selectionStart;
          }}
        />
      </div>
      <References id={`${id}-refs`} references={field.references} onRemove={(n) => onChange(withoutReference(field, n))} />
      <CitePicker
        id={id}
        summaryId={summaryId}
        onCite={(c) => {
          const at = cursor.current ?? field.text.length;
          const next = citing(field, c, at);
          cursor.current = at + next.text.length - field.text.length; // after the marker
          onChange(next);
        }}
      />
    </>
  );
}
