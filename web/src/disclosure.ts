// Requests for assistance and disclosure packages (docs/openapi.yaml: /requests, /packages,
// /disclosures): the register of requests, the packages that answer them (each item through the
// consent gate for the request's recipient, redacted and reviewed, approved by another officer,
// exported as an encrypted bag), and the disclosure log. Legal officers and leads only.

import { request, type Role } from './api';

/** Who registers requests, builds, approves and exports packages, and reads the disclosure log. */
export const DISCLOSURE_OFFICERS: readonly Role[] = ['legal-officer', 'lead'];

export const REQUESTER_KINDS = ['national-prosecution-service', 'icc-otp', 'un-mechanism', 'osce-mechanism', 'lawyer', 'ngo'] as const;
export type RequesterKind = (typeof REQUESTER_KINDS)[number];

export const REQUEST_STATUSES = ['received', 'scoping', 'collecting', 'legal-review', 'approved', 'delivered', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The steps the register allows from each status (disclosure/requests.h); staying is not a step. */
export const NEXT_STATUSES: Record<RequestStatus, readonly RequestStatus[]> = {
  received: ['scoping', 'closed'],
  scoping: ['collecting', 'closed'],
  collecting: ['legal-review', 'closed'],
  'legal-review': ['approved', 'collecting', 'closed'],
  approved: ['delivered', 'collecting', 'closed'],
  delivered: ['collecting', 'closed'],
  closed: [],
};

export const RESTRICTED_CATEGORIES = ['health', 'sexual-violence'] as const;

export interface ListedRequest {
  id: string;
  version: number;
  organisation: string;
  requester_kind: RequesterKind;
  body: string;
  reference: string;
  received_on: string;
  deadline: string;
  status: RequestStatus;
  assignees: string[];
  updated_at: string;
  /** In the deadlines view only. */
  days_left?: number;
  deadline_state?: 'overdue' | 'due-soon' | 'later';
}

export interface RequestScope {
  description: string;
  incidents: string[];
  persons: string[];
  facilities: string[];
  places: string[];
  periods: { from: string; to: string }[];
  violation_types: string[];
  restricted: string[];
}

export interface RequestTerms {
  confidential: boolean;
  confidentiality: string;
  onward_sharing_allowed: boolean;
  onward_sharing: string;
  minimise_reinterviews: boolean;
  reinterviews: string;
  agreed_on: string;
}

export interface Correspondence {
  object_id: string;
  direction: 'in' | 'out';
  on: string;
  label: string;
  media_type: string;
  added_by: string;
  added_at: string;
}

export interface AssistanceRequest {
  id: string;
  version: number;
  organisation: string;
  requester: { kind: RequesterKind; body: string; contact: string };
  received_on: string;
  reference: string;
  legal_basis: string;
  scope: RequestScope;
  terms: RequestTerms;
  deadline: string;
  assignees: string[];
  status: RequestStatus;
  correspondence: Correspondence[];
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

/** What registering a request sends (the organisation may be left out when there is one). */
export interface RequestInput {
  organisation?: string;
  requester: { kind: RequesterKind; body: string; contact: string };
  received_on?: string;
  reference: string;
  legal_basis: string;
  deadline: string;
  scope: RequestScope;
  terms: RequestTerms;
  assignees?: string[];
}

export function listRequests(filter: { status?: string; view?: 'deadlines' } = {}): Promise<{ requests: ListedRequest[] }> {
  const q = new URLSearchParams();
  if (filter.status) q.set('status', filter.status);
  if (filter.view) q.set('view', filter.view);
  const s = q.toString();
  return request('GET', `/api/v1/requests${s ? `?${s}` : ''}`);
}

export function registerRequest(input: RequestInput): Promise<AssistanceRequest> {
  return request('POST', '/api/v1/requests', { body: input });
}

const requestPath = (id: string) => `/api/v1/requests/${encodeURIComponent(id)}`;

export function getRequest(id: string): Promise<AssistanceRequest> {
  return request('GET', requestPath(id));
}

export function updateRequest(id: string, version: number, change: Partial<RequestInput> & { status?: RequestStatus }): Promise<AssistanceRequest> {
  return request('PATCH', requestPath(id), { body: { version, ...change } });
}

/** Adds a letter exchanged with the requester (the file as it is). */
export function addLetter(id: string, version: number, file: Blob, letter: { direction: 'in' | 'out'; on: string; label: string }): Promise<AssistanceRequest> {
  const q = new URLSearchParams({ version: String(version), direction: letter.direction, label: letter.label });
  if (letter.on) q.set('on', letter.on);
  return request('POST', `${requestPath(id)}/correspondence?${q.toString()}`, { raw: file });
}

/** Where a letter of the request is downloaded (each download is logged). */
export function letterUrl(id: string, object: string): string {
  return `${requestPath(id)}/correspondence/${encodeURIComponent(object)}`;
}

export type PackageState = 'draft' | 'in-review' | 'changes-requested' | 'approved' | 'exported';

export interface ListedPackage {
  id: string;
  version: number;
  organisation: string;
  request: string;
  /** EVH-2026-0007: the production numbers' prefix. */
  production: string;
  state: PackageState;
  updated_at: string;
}

export interface PackageItem {
  object: string;
  witness: string;
  folder: string;
  description: string;
  gate: { allowed: boolean; reason: string; consent_version: number };
  /** The redacted object delivered instead of the original, or "". */
  delivered_object: string;
  redaction_reviewed_by: string;
}

/** The gate's decision on an item as the package was built or its items changed. */
export interface GateDecision {
  object: string;
  witness: string;
  allowed: boolean;
  reason: string;
  block: string;
  consent_version: number;
  /** "gps": an image says where it was taken. */
  warnings: string[];
}

export interface DisclosurePackage extends ListedPackage {
  items: PackageItem[];
  note: string;
  editors: string[];
  approved_by: string;
  updated_by: string;
  /** Whether its encrypted bag waits to be downloaded. */
  exported_file: boolean;
  gate?: GateDecision[];
  renew?: string[];
}

export interface ItemSpec {
  object: string;
  folder?: string;
  description?: string;
}

export interface PackageVersion {
  version: number;
  state: PackageState;
  items: number;
  blocked: number;
  note: string;
  updated_by: string;
  updated_at: string;
}

export interface RedactionBox {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Redaction {
  object_id: string;
  sha256: string;
  /** What kind of information was removed where, without repeating it. */
  log: { kind: string; page: number; begin: number; end: number }[];
  package: { id: string; version: number };
}

export interface ExportedPackage {
  bag: string;
  file: string;
  size: number;
  files: number;
  payload_oxum: string;
  export_event: number;
  package: { id: string; version: number; state: PackageState };
}

/** The kinds of source a package's items can come from, as the API names them. */
export const SOURCE_KINDS = ['witness', 'incident', 'summary', 'summary+refs', 'code', 'search', 'saved-search'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Candidates {
  items: { object: string; folder: string; description: string }[];
  /** Objects the source names that the caller may not read. */
  withheld: number;
  /** Objects erased with their witness. */
  erased: number;
}

/** Candidate items of a source (a logged read). */
export function packageCandidates(kind: SourceKind, value: string): Promise<Candidates> {
  return request('GET', `/api/v1/package-candidates?source=${encodeURIComponent(`${kind}:${value}`)}`);
}

export function listPackages(requestId?: string): Promise<{ packages: ListedPackage[] }> {
  return request('GET', `/api/v1/packages${requestId ? `?request=${encodeURIComponent(requestId)}` : ''}`);
}

export function buildPackage(requestId: string, items: ItemSpec[]): Promise<DisclosurePackage> {
  return request('POST', '/api/v1/packages', { body: { request: requestId, items } });
}

const packagePath = (id: string) => `/api/v1/packages/${encodeURIComponent(id)}`;

export function getPackage(id: string): Promise<DisclosurePackage> {
  return request('GET', packagePath(id));
}

export function packageHistory(id: string): Promise<{ versions: PackageVersion[] }> {
  return request('GET', `${packagePath(id)}/history`);
}

export function replaceItems(id: string, version: number, items: ItemSpec[]): Promise<DisclosurePackage> {
  return request('PUT', `${packagePath(id)}/items`, { body: { version, items } });
}

export function redactItem(id: string, object: string, boxes: RedactionBox[]): Promise<Redaction> {
  return request('POST', `${packagePath(id)}/items/${encodeURIComponent(object)}/redaction`, { body: { boxes } });
}

export function reviewRedaction(id: string, version: number, object: string): Promise<DisclosurePackage> {
  return request('POST', `${packagePath(id)}/items/${encodeURIComponent(object)}/review`, { body: { version } });
}

/** Every text not yet redacted pseudonymised in one version; `redacted` names them. */
export function redactAllTexts(id: string, version: number): Promise<DisclosurePackage & { redacted: string[] }> {
  return request('POST', `${packagePath(id)}/redactions`, { body: { version } });
}

/** Every redaction not yet reviewed confirmed by the caller, in one version. */
export function reviewAll(id: string, version: number): Promise<DisclosurePackage> {
  return request('POST', `${packagePath(id)}/reviews`, { body: { version } });
}

export type PackageStep = 'submit' | 'changes' | 'approve';

export function packageStep(id: string, version: number, step: PackageStep, note?: string): Promise<DisclosurePackage> {
  return request('POST', `${packagePath(id)}/${step}`, { body: step === 'changes' ? { version, note: note ?? '' } : { version } });
}

export function exportPackage(id: string, version: number, recipients: string[]): Promise<ExportedPackage> {
  return request('POST', `${packagePath(id)}/export`, { body: { version, recipients } });
}

/** Where the exported, encrypted bag is downloaded (each download is logged). */
export function exportUrl(id: string): string {
  return `${packagePath(id)}/export`;
}

export interface Recipient {
  kind: string;
  body: string;
  reference: string;
}

export interface Disclosure {
  package: string;
  request: string;
  recipient: Recipient;
  organisation?: string;
  object: string;
  witness?: string;
  consent_version: number;
  exported_at: string;
}

export function disclosureLog(filter: { witness?: string; request?: string } = {}): Promise<{ disclosures: Disclosure[] }> {
  const q = new URLSearchParams();
  if (filter.witness) q.set('witness', filter.witness);
  if (filter.request) q.set('request', filter.request);
  const s = q.toString();
  return request('GET', `/api/v1/disclosures${s ? `?${s}` : ''}`);
}

export interface WitnessDisclosures {
  witness: string;
  disclosures: Disclosure[];
  /** The requests whose recipients hold some of the witness's material: who to notify. */
  holders: { request: string; recipient: Recipient; status: string }[];
}

export function witnessDisclosures(code: string): Promise<WitnessDisclosures> {
  return request('GET', `/api/v1/witnesses/${encodeURIComponent(code)}/disclosures`);
}

export function requestsHref(params: { status?: string; view?: string } = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `#/requests?${s}` : '#/requests';
}

export function requestHref(id: string): string {
  return `#/requests/${encodeURIComponent(id)}`;
}

export function packageHref(id: string): string {
  return `#/packages/${encodeURIComponent(id)}`;
}

/** Lines of a textarea, trimmed, without the empty ones. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l);
}

/** "OBJECT [FOLDER]" lines as the items of a package. */
export function itemSpecs(text: string): ItemSpec[] {
  return lines(text).map((line) => {
    const [object, folder] = line.split(/\s+/, 2);
    return folder ? { object, folder } : { object };
  });
}
