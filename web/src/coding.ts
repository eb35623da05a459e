// What the coding pages share: a code's words in the reader's language, the framework as a tree
// (depth-first, children under their parent), filtering it, facets to and from a form, and how
// times and regions read.

import type { AppliedCode, Facets, FrameworkCode, Texts } from './api';
import type { Lang } from './i18n';

/** A text of the framework in `lang`, else in English, else `fallback`. */
export function inLang(texts: Partial<Texts> | undefined, lang: Lang, fallback = ''): string {
  return texts?.[lang] || texts?.en || fallback;
}

export function codeLabel(code: FrameworkCode, lang: Lang): string {
  return inLang(code.labels, lang, code.id);
}

/** An applied code's label as the coder saw it (at its revision). */
export function appliedLabel(code: AppliedCode, lang: Lang): string {
  return inLang(code.label, lang, code.id);
}

/** Whether the code's words changed since it was applied (or it left the framework). */
export function changedSinceCoded(code: AppliedCode): boolean {
  return code.current_revision === null || code.current_revision !== code.revision;
}

export interface TreeRow {
  code: FrameworkCode;
  depth: number;
}

/** The codes depth-first, each under its parent, siblings in the framework's order. */
export function codeTree(codes: readonly FrameworkCode[]): TreeRow[] {
  const children = new Map<string, FrameworkCode[]>();
  const known = new Set(codes.map((c) => c.id));
  for (const c of codes) {
    // A code whose parent is missing is shown at the top rather than lost.
    const parent = c.parent && known.has(c.parent) ? c.parent : '';
    const list = children.get(parent) ?? [];
    list.push(c);
    children.set(parent, list);
  }
  const out: TreeRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string, depth: number) => {
    for (const c of children.get(parent) ?? []) {
      if (seen.has(c.id)) continue; // a cycle would be a server bug; never loop
      seen.add(c.id);
      out.push({ code: c, depth });
      walk(c.id, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

/**
 * The rows that match `filter` (in any language's label, the id or the definition in `lang`),
 * with their ancestors so that each match is shown in its place; `match` tells them apart.
 */
export function filterTree(rows: readonly TreeRow[], filter: string, lang: Lang): (TreeRow & { match: boolean })[] {
  const f = filter.trim().toLocaleLowerCase();
  if (!f) return rows.map((r) => ({ ...r, match: true }));
  const byId = new Map(rows.map((r) => [r.code.id, r.code]));
  const matches = (c: FrameworkCode) =>
    [c.id, c.labels.en, c.labels.be, c.labels.ru, inLang(c.definitions, lang)].some((s) => (s ?? '').toLocaleLowerCase().includes(f));
  const keep = new Set<string>();
  const matched = new Set<string>();
  for (const r of rows) {
    if (!matches(r.code)) continue;
    matched.add(r.code.id);
    for (let c: FrameworkCode | undefined = r.code; c && !keep.has(c.id); c = byId.get(c.parent)) keep.add(c.id);
  }
  return rows.filter((r) => keep.has(r.code.id)).map((r) => ({ ...r, match: matched.has(r.code.id) }));
}

export const EMPTY_FACETS: Facets = {
  date: { from: '', to: '', precision: 'day' },
  place: '',
  facility: '',
  persons: [],
  units: [],
  victims: '',
  perpetrators: '',
};

/** A list typed as "a, b; c" (commas, semicolons or new lines), without empty items. */
export function splitList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** YYYY, YYYY-MM or YYYY-MM-DD, as the server takes an incident date; "" for none. */
export const INCIDENT_DATE = /^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$/;

/** Milliseconds as m:ss.d (h:mm:ss.d from an hour). */
export function formatMs(ms: number): string {
  const tenths = Math.floor(Math.max(0, ms) / 100);
  const d = tenths % 10;
  const s = Math.floor(tenths / 10) % 60;
  const m = Math.floor(tenths / 600) % 60;
  const h = Math.floor(tenths / 36000);
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}.${d}` : `${m}:${ss}.${d}`;
}

/** A fraction as a whole percentage. */
export function percent(f: number | undefined): string {
  return `${Math.round((f ?? 0) * 100)}%`;
}

const RECENT_KEY = 'evhub.recentCodes';
export const MAX_RECENT = 9;

/** The codes this browser applied last, newest first (kept in localStorage: ids only). */
export function loadRecent(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function rememberRecent(list: readonly string[], id: string): string[] {
  const next = [id, ...list.filter((x) => x !== id)].slice(0, MAX_RECENT);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(next));
  } catch {
    // Not remembered beyond this page.
  }
  return next;
}
