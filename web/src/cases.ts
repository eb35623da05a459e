// Incidents, the timeline and witness summaries: the API client (docs/openapi.yaml, /incidents,
// /summaries, /coding/passages, /places, /facilities) and the links of their pages. The server
// decides every access by the roles held in the record's organisation; the role lists here only
// choose what to offer.

import { request, type Role } from './api';
import type { Lang } from './i18n';

// ---------------------------------------------------------------------------------------------
// Who does what (src/api/policy.cc)

/** Who reads codings, incidents and summaries (one list, in api.ts). */
export { CODING_READERS } from './api';
/** Who codes and records incidents. */
export { CODERS } from './api';
/** Who drafts, edits, submits and reopens witness summaries. */
export const SUMMARY_WRITERS: readonly Role[] = ['analyst', 'lead'];
/** Who requests changes to and approves witness summaries (never their own). */
export const SUMMARY_REVIEWERS: readonly Role[] = ['reviewer', 'lead'];

// ---------------------------------------------------------------------------------------------
// The coding framework, coded passages, places and facilities

export type Texts = Partial<Record<Lang, string>>;

/** A word in the reader's language, else English, else `fallback`. */
export function textIn(texts: Texts | undefined, lang: Lang, fallback = ''): string {
  return texts?.[lang] || texts?.en || fallback;
}

export interface FrameworkCode {
  id: string;
  parent: string;
  labels: Texts;
  definitions: Texts;
  restricted: boolean;
  retired: boolean;
  revision: number;
}

export interface Framework {
  version: number;
  codes: FrameworkCode[];
}

export function getFramework(): Promise<{ framework: Framework }> {
  return request('GET', '/api/v1/coding/framework');
}

/** The framework's codes in tree order, each with its depth (0 for a top-level category). */
export function codeTree(framework: Framework): { code: FrameworkCode; depth: number }[] {
  const children = new Map<string, FrameworkCode[]>();
  for (const c of framework.codes) {
    const list = children.get(c.parent) ?? [];
    list.push(c);
    children.set(c.parent, list);
  }
  const out: { code: FrameworkCode; depth: number }[] = [];
  const known = new Set(framework.codes.map((c) => c.id));
  const walk = (parent: string, depth: number) => {
    for (const c of children.get(parent) ?? []) {
      out.push({ code: c, depth });
      if (depth < 8) walk(c.id, depth + 1);
    }
  };
  walk('', 0);
  // Codes whose parent is unknown (should not happen) are listed at the top level.
  for (const c of framework.codes) if (c.parent && !known.has(c.parent)) out.push({ code: c, depth: 0 });
  return out;
}

/** Where a code was applied (from the coding view: no passage text). */
export interface CodedPassage {
  annotation_id: string;
  object_id: string;
  witness: string;
  kind: 'text' | 'region' | 'time';
  begin: number;
  end: number;
  code: string;
  revision: number;
  date: string;
  place: string;
  facility: string;
  coder: string;
}

/** A page of the passages coded with `code` (or a code under it); `next` goes on after it. */
export function codedPassages(
  code: string,
  limit: number,
  after?: string,
): Promise<{ passages: CodedPassage[]; total: number; next: string | null }> {
  const query: Record<string, string> = { code, limit: String(limit) };
  if (after) query.after = after;
  return request('GET', '/api/v1/coding/passages', { query });
}

/** The annotations of an object with their passages (the read is logged). */
export interface CodingObject {
  object: { id: string; sha256: string; witness: string; sensitivity: string };
  annotations: { id: string; passage: string; kind: string; begin?: number; end?: number; page?: number }[];
  withheld: number;
}

export function codingObject(id: string): Promise<CodingObject> {
  return request('GET', `/api/v1/coding/objects/${encodeURIComponent(id)}`);
}

export interface PlaceSuggestion {
  id: string;
  type: string;
  names: Texts;
}

export function suggestPlaces(q: string): Promise<{ places: PlaceSuggestion[] }> {
  return request('GET', '/api/v1/places', { query: { q, limit: '10' } });
}

export function suggestFacilities(q: string): Promise<{ facilities: PlaceSuggestion[] }> {
  return request('GET', '/api/v1/facilities', { query: { q, limit: '10' } });
}

// ---------------------------------------------------------------------------------------------
// Incidents

export const DATE_PRECISIONS = ['day', 'month', 'year', 'approximate'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

export interface IncidentDate {
  from: string;
  to: string;
  precision: DatePrecision | string;
}

/** A code as an incident (or a passage) applies it, with its words at that revision. */
export interface ActRef {
  id: string;
  revision: number;
  label: string;
  labels: Texts;
}

export const PLACEMENTS = ['day', 'start-of-month', 'start-of-year', 'approximate', 'undated'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export interface ListedIncident {
  id: string;
  version: number;
  organisation: string;
  title: string;
  acts: ActRef[];
  date: IncidentDate;
  place: string;
  facility: string;
  evidence: number;
  evidence_erased: number;
  updated_at: string;
  removed: boolean;
  /** The timeline's: where it is placed, and the last day its date can mean. */
  placement?: Placement;
  placed_at?: string;
  ends_at?: string;
}

export const EVIDENCE_ROLES = ['supports', 'contradicts'] as const;
export type EvidenceRole = (typeof EVIDENCE_ROLES)[number];

/** A passage an incident cites, as the reader may see it now. */
export interface CitedPassage {
  annotation_id: string;
  role: EvidenceRole | string;
  witness: string;
  object_id: string;
  state: 'present' | 'removed' | 'erased';
  withheld: boolean;
  codes: ActRef[];
  passage: string;
  date: string;
  kind?: string;
  begin?: number;
  end?: number;
}

export interface Victim {
  witness: string;
  description: string;
  harm: string;
}

export interface Perpetrators {
  persons: string[];
  units: string[];
  description: string;
}

export interface Incident {
  id: string;
  version: number;
  organisation: string;
  title: string;
  acts: ActRef[];
  date: IncidentDate;
  place: string;
  facility: string;
  victims: Victim[];
  perpetrators: Perpetrators;
  summary: string;
  evidence: CitedPassage[];
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  removed: boolean;
}

export interface IncidentInput {
  organisation?: string;
  title: string;
  acts: string[];
  date: IncidentDate;
  place: string;
  facility: string;
  victims: Victim[];
  perpetrators: Perpetrators;
  summary: string;
  evidence: { annotation_id: string; role: string }[];
}

export interface IncidentVersion {
  version: number;
  title: string;
  acts: ActRef[];
  date: IncidentDate;
  place: string;
  facility: string;
  evidence: number;
  updated_by: string;
  updated_at: string;
  removed: boolean;
}

export interface IncidentFilter {
  act?: string;
  place?: string;
  facility?: string;
  from?: string;
  to?: string;
}

const incidentPath = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}`;

export function listIncidents(filter: IncidentFilter, timeline: boolean): Promise<{ incidents: ListedIncident[] }> {
  return request('GET', '/api/v1/incidents', {
    query: {
      view: timeline ? 'timeline' : undefined,
      act: filter.act || undefined,
      place: filter.place || undefined,
      facility: filter.facility || undefined,
      from: filter.from || undefined,
      to: filter.to || undefined,
    },
  });
}

/** A proposal from annotations (not stored). */
export function draftIncident(annotationIds: string[]): Promise<Incident> {
  return request('POST', '/api/v1/incidents/draft', { body: { annotation_ids: annotationIds } });
}

export function addIncident(input: IncidentInput): Promise<Incident> {
  return request('POST', '/api/v1/incidents', { body: input });
}

export function getIncident(id: string): Promise<Incident> {
  return request('GET', incidentPath(id));
}

export function updateIncident(id: string, version: number, input: IncidentInput): Promise<Incident> {
  const { organisation: _organisation, ...rest } = input;
  return request('PUT', incidentPath(id), { body: { ...rest, version } });
}

export function removeIncident(id: string, version: number): Promise<void> {
  return request('DELETE', incidentPath(id), { query: { version: String(version) } });
}

export function incidentHistory(id: string): Promise<{ versions: IncidentVersion[] }> {
  return request('GET', `${incidentPath(id)}/history`);
}

// ---------------------------------------------------------------------------------------------
// Witness summaries

export const SUMMARY_STATUSES = ['draft', 'in-review', 'changes-requested', 'approved'] as const;
export type SummaryStatus = (typeof SUMMARY_STATUSES)[number];

export interface SummaryListing {
  id: string;
  witness: string;
  organisation: string;
  status: SummaryStatus;
  version: number;
  author: string;
  reviewer: string;
  sensitivity: string;
  updated_at: string;
}

/** What a statement rests on: a span of a text (with its passage), a page, or a time range. */
export interface SummaryReference {
  kind: 'text' | 'region' | 'time';
  annotation_id?: string;
  object_id: string;
  object_sha256: string;
  begin?: number;
  end?: number;
  page?: number;
  passage?: string;
}

/** A free-text field; "[n]" in the text is references[n - 1]. */
export interface SummaryText {
  text: string;
  references: SummaryReference[];
}

export interface SummaryIncident {
  incident_id: string;
  title: string;
  date: string;
  saw: SummaryText;
  suffered: SummaryText;
}

export interface SummaryDocument {
  object_id: string;
  title: string;
  object_sha256: string;
}

export interface ReviewComment {
  by: string;
  at: string;
  section: string;
  text: string;
}

export interface WitnessSummary {
  id: string;
  version: number;
  witness_code: string;
  organisation_id: string;
  status: SummaryStatus;
  sensitivity: string;
  author: string;
  created_at: string;
  editors: string[];
  changed_by: string;
  change: string;
  changed_at: string;
  reviewer: string;
  reviewed_at: string;
  approved_at: string;
  profile: { gender: string; age_band: string; country: string; languages: string[] };
  consent: {
    as_of: string;
    state: string;
    version: number;
    scopes: string[];
    given_on: string;
    renew_by: string;
    withdrawn_on: string;
  };
  incidents: SummaryIncident[];
  perpetrators: SummaryText;
  injuries: SummaryText;
  documents: SummaryDocument[];
  comments: ReviewComment[];
  /** User ids (author, editors, reviewer, commenters) → usernames. */
  people: Record<string, string>;
  exports: { object_id: string; version: number; format: string; at: string }[];
}

export interface SummaryVersion {
  version: number;
  status: SummaryStatus;
  change: string;
  changed_by: string;
  changed_at: string;
}

export type SummaryAction = 'submit' | 'request-changes' | 'approve' | 'comment' | 'reopen';

/** The text sections a PUT changes; the others are kept. */
export type SummaryEdit = Partial<Pick<WitnessSummary, 'incidents' | 'perpetrators' | 'injuries' | 'documents'>>;

export const EXPORT_FORMATS = ['pdf', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface SummaryExport {
  object_id: string;
  sha256: string;
  size: number;
  media_type: string;
}

const summaryPath = (id: string) => `/api/v1/summaries/${encodeURIComponent(id)}`;

export function listSummaries(status: SummaryStatus | '', witness: string): Promise<{ summaries: SummaryListing[] }> {
  return request('GET', '/api/v1/summaries', { query: { status: status || undefined, witness: witness || undefined } });
}

export function draftSummary(witness: string): Promise<WitnessSummary> {
  return request('POST', '/api/v1/summaries', { body: { witness } });
}

export function getSummary(id: string, version?: number | null): Promise<WitnessSummary> {
  return request('GET', summaryPath(id), { query: { version: version ? String(version) : undefined } });
}

export function updateSummary(id: string, version: number, edit: SummaryEdit): Promise<WitnessSummary> {
  return request('PUT', summaryPath(id), { body: { version, ...edit } });
}

export function summaryTransition(
  id: string,
  action: SummaryAction,
  version: number,
  section?: string,
  text?: string,
): Promise<WitnessSummary> {
  const body: Record<string, string | number> = { action, version };
  if (section !== undefined) body.section = section;
  if (text !== undefined) body.text = text;
  return request('POST', `${summaryPath(id)}/transitions`, { body });
}

export function summaryHistory(id: string): Promise<{ versions: SummaryVersion[] }> {
  return request('GET', `${summaryPath(id)}/history`);
}

export function summaryDiff(id: string, from: number, to: number): Promise<{ from: number; to: number; diff: string }> {
  return request('GET', `${summaryPath(id)}/diff`, { query: { from: String(from), to: String(to) } });
}

/** A coding of the witness's material an editor may cite: a reference, with its codes. */
export interface CitableCoding extends SummaryReference {
  annotation_id: string;
  codes: string[];
}

/** What an editor of the summary may cite (a logged read of the witness's coded words). */
export function citableCodings(id: string): Promise<{ passages: CitableCoding[]; withheld: number }> {
  return request('GET', `${summaryPath(id)}/citable`);
}

export function exportSummary(id: string, version: number, format: ExportFormat, draftWatermark: boolean): Promise<SummaryExport> {
  const body: Record<string, string | number | boolean> = { version, format };
  if (draftWatermark) body.draft_watermark = true;
  return request('POST', `${summaryPath(id)}/exports`, { body });
}

// ---------------------------------------------------------------------------------------------
// Links

/** `#/path?query`, the empty parameters left out. */
function withParams(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(name, String(value));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function incidentsHref(params: Record<string, string | undefined> = {}): string {
  return withParams('#/incidents', params);
}

export function incidentHref(id: string): string {
  return `#/incidents/${encodeURIComponent(id)}`;
}

/** The editor of a new incident, drafted from these annotations (blank without). */
export function newIncidentHref(annotationIds: readonly string[] = []): string {
  return withParams('#/incidents/new', { annotations: annotationIds.join(',') });
}

export function summariesHref(params: Record<string, string | undefined> = {}): string {
  return withParams('#/summaries', params);
}

export function summaryHref(id: string, version?: number): string {
  return withParams(`#/summaries/${encodeURIComponent(id)}`, { version });
}

/** A passage in the coding workspace (the object's text with the annotation selected). */
export function codingHref(objectId: string, annotationId?: string): string {
  return withParams(`#/coding/${encodeURIComponent(objectId)}`, { annotation: annotationId });
}
