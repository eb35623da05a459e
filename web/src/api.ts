// The HTTP API client (docs/openapi.yaml). The session cookie is HttpOnly, so the CSRF token from
// the sign-in response is kept in sessionStorage (this tab only) and sent back in X-CSRF-Token on
// every state-changing request.

export type Role =
  | 'intake-officer'
  | 'analyst'
  | 'osint-researcher'
  | 'legal-officer'
  | 'reviewer'
  | 'mhpss-coordinator'
  | 'lead'
  | 'administrator'
  | 'auditor';

export const ROLES: readonly Role[] = [
  'intake-officer',
  'analyst',
  'osint-researcher',
  'legal-officer',
  'reviewer',
  'mhpss-coordinator',
  'lead',
  'administrator',
  'auditor',
];

// Who works with evidence, and who may add it (DESIGN.md §1; the server decides).
export const EVIDENCE_READERS: readonly Role[] = [
  'intake-officer',
  'analyst',
  'osint-researcher',
  'legal-officer',
  'reviewer',
  'mhpss-coordinator',
  'lead',
];
export const EVIDENCE_WRITERS: readonly Role[] = ['intake-officer', 'analyst', 'osint-researcher', 'lead'];

export interface Grant {
  organisation: string;
  role: Role;
}

export interface User {
  username: string;
  organisation: string;
  roles: Grant[];
  disabled?: boolean;
  totp?: boolean;
}

/** Restricted categories only some roles may read (see docs/openapi.yaml). */
export type Sensitivity = 'normal' | 'health' | 'sexual-violence';
export const SENSITIVITIES: readonly Sensitivity[] = ['normal', 'health', 'sexual-violence'];

export interface EvidenceObject {
  id: string;
  sensitivity: Sensitivity;
  domain: string;
  size: number;
  sha256: string;
  created_at: string;
  media_type: string;
}

export interface AuditEvent {
  seq: number;
  time: string;
  actor: string;
  action: string;
  object: string;
  sha256: string;
  details: Record<string, unknown>;
  /** The signed-in person who acted, looked up by the server; null for the CLI and the system. */
  user: string | null;
}

/** A processing job (text extraction, OCR, translation) on an object the caller may read. */
export interface Job {
  id: number;
  kind: string;
  object: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  progress: number;
  error: string;
}

export interface Dashboard {
  objects: number;
  bytes: number;
  recent_objects: EvidenceObject[];
  recent_events?: AuditEvent[];
  jobs: Job[];
}

export interface ObjectPage {
  objects: EvidenceObject[];
  next: string | null;
}

export interface AuditPage {
  events: AuditEvent[];
  next: number | null;
}

export interface UploadResult {
  id: string;
  sha256: string;
  size: number;
  domain: string;
  deduplicated: boolean;
  sensitivity: Sensitivity;
}

export interface VerifyResult {
  id: string;
  sha256: string;
  verified: boolean;
  checked_at: string;
}

export interface Organisation {
  id: string;
  name: string;
}

export interface TotpEnrolment {
  otpauth_uri: string;
  qr_svg: string;
}

/** The largest body POST /api/v1/objects accepts. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** An error answer of the API ({"error":{"code","message"}}), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

const CSRF_KEY = 'evhub.csrf';

export function csrfToken(): string | null {
  try {
    return sessionStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

function setCsrfToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(CSRF_KEY);
    else sessionStorage.setItem(CSRF_KEY, token);
  } catch {
    // Storage may be disabled; the next state-changing request will then be refused.
  }
}

// Called when any request (other than signing in) answers 401: the app goes back to sign-in.
let unauthenticatedHandler: (() => void) | null = null;
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticatedHandler = handler;
}

/** A 401 outside signing in: the session is over, and so is its CSRF token. */
function sessionLost(): void {
  setCsrfToken(null);
  unauthenticatedHandler?.();
}

function notJson(status: number): ApiError {
  return new ApiError(status, 'bad_response', 'the server sent an answer that is not JSON');
}

/** Query parameters; the null and undefined ones are left out. */
type Query = Record<string, string | null | undefined>;

/** `path` with the query string of `query`, in its order; just `path` when nothing is set. */
function withQuery(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== null && value !== undefined) q.set(name, value);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

function errorFromBody(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (body && body.error && typeof body.error.code === 'string') {
      return new ApiError(status, body.error.code, String(body.error.message ?? ''));
    }
  } catch {
    // Not JSON: fall through.
  }
  return new ApiError(status, `http_${status}`, text.slice(0, 200) || `HTTP ${status}`);
}

interface RequestOptions {
  body?: unknown;
  /** Bytes sent as they are (application/octet-stream) instead of a JSON body. */
  raw?: Blob;
  query?: Query;
  /** Sign-in answers 401 for a wrong password; that must not be taken as a lost session. */
  signIn?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let body: string | Blob | undefined;
  if (options.raw !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    body = options.raw;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    const url = withQuery(path, options.query);
    response = await fetch(url, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  const text = await response.text();
  if (!response.ok) {
    const error = errorFromBody(response.status, text);
    if (response.status === 401 && !options.signIn) sessionLost();
    throw error;
  }
  if (response.status === 204 || text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw notJson(response.status);
  }
}

export async function signIn(username: string, password: string, totp?: string): Promise<User> {
  const body: Record<string, string> = { username, password };
  if (totp) body.totp = totp;
  const r = await request<{ user: User; csrf_token: string }>('POST', '/api/v1/session', {
    body,
    signIn: true,
  });
  setCsrfToken(r.csrf_token);
  return r.user;
}

export async function currentSession(): Promise<User | null> {
  try {
    const r = await request<{ user: User }>('GET', '/api/v1/session', { signIn: true });
    return r.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function signOut(): Promise<void> {
  try {
    await request<void>('DELETE', '/api/v1/session', { signIn: true });
  } finally {
    setCsrfToken(null);
  }
}

export function beginTotp(): Promise<TotpEnrolment> {
  return request('POST', '/api/v1/session/totp');
}

export function confirmTotp(code: string): Promise<void> {
  return request('POST', '/api/v1/session/totp/confirm', { body: { code } });
}

export function dashboard(): Promise<Dashboard> {
  return request('GET', '/api/v1/dashboard');
}

export function listObjects(after?: string | null, limit = 50): Promise<ObjectPage> {
  return request('GET', '/api/v1/objects', { query: { limit: String(limit), after: after || undefined } });
}

export function verifyObject(id: string): Promise<VerifyResult> {
  return request('POST', `/api/v1/objects/${encodeURIComponent(id)}/verify`);
}

export function contentUrl(id: string): string {
  return `/api/v1/objects/${encodeURIComponent(id)}/content`;
}

export function listAudit(before?: number | null, action?: string, limit = 50): Promise<AuditPage> {
  return request('GET', '/api/v1/audit', {
    query: { limit: String(limit), before: before?.toString(), action: action || undefined },
  });
}

export function listUsers(): Promise<{ users: User[] }> {
  return request('GET', '/api/v1/users');
}

export function listOrganisations(): Promise<{ organisations: Organisation[] }> {
  return request('GET', '/api/v1/organisations');
}

export function addUser(username: string, organisation: string, password: string, roles: Role[]): Promise<User> {
  return request('POST', '/api/v1/users', { body: { username, organisation, password, roles } });
}

export function grantRole(username: string, organisation: string, role: Role): Promise<User> {
  return request('POST', `/api/v1/users/${encodeURIComponent(username)}/grants`, { body: { organisation, role } });
}

export function revokeRole(username: string, organisation: string, role: Role): Promise<User> {
  return request('DELETE', `/api/v1/users/${encodeURIComponent(username)}/grants`, { query: { organisation, role } });
}

export function setDisabled(username: string, disabled: boolean): Promise<User> {
  return request('POST', `/api/v1/users/${encodeURIComponent(username)}/disabled`, { body: { disabled } });
}

export interface UploadHandle<T = UploadResult> {
  promise: Promise<T>;
  abort: () => void;
}

/**
 * Sends a body with XMLHttpRequest (fetch cannot report upload progress) and the CSRF token;
 * the answer is JSON. onProgress gets the fraction sent, from 0 to 1.
 */
function sendWithProgress<T>(
  url: string,
  body: Blob | FormData,
  contentType: string | null,
  onProgress: (fraction: number) => void,
): UploadHandle<T> {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open('POST', url);
    // A FormData sets its own multipart type, with the boundary.
    if (contentType) xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    const token = csrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch {
          reject(notJson(xhr.status));
        }
        return;
      }
      if (xhr.status === 401) sessionLost();
      reject(errorFromBody(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload was interrupted'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'the upload was cancelled'));
    xhr.send(body);
  });
  return { promise, abort: () => xhr.abort() };
}

/** Uploads a file's bytes into key domain `domain` (a witness's code puts it in their record). */
export function uploadObject(
  file: Blob,
  domain: string,
  organisation: string | null,
  sensitivity: Sensitivity,
  onProgress: (fraction: number) => void,
): UploadHandle {
  return sendWithProgress(
    withQuery('/api/v1/objects', { domain, sensitivity, organisation: organisation || undefined }),
    file,
    'application/octet-stream',
    onProgress,
  );
}

/** The file's SHA-256 in hex, or null where Web Crypto is unavailable (not a secure context). */
export async function sha256Hex(file: Blob): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The organisations in which `user` holds one of `roles`, in the order of the grants. */
export function organisationsWhere(user: User, roles: readonly Role[]): string[] {
  const out: string[] = [];
  for (const g of user.roles) {
    if (roles.includes(g.role) && !out.includes(g.organisation)) out.push(g.organisation);
  }
  return out;
}

export function hasAnyRole(user: User, roles: readonly Role[]): boolean {
  return user.roles.some((g) => roles.includes(g.role));
}

// ---------------------------------------------------------------------------------------------
// The witness register (docs/openapi.yaml, /api/v1/witnesses). The server decides every access
// by the roles held in the witness's organisation; these lists only choose what to offer.

/** Who reads the register: not OSINT researchers, administrators or auditors. */
export const WITNESS_READERS: readonly Role[] = [
  'intake-officer',
  'analyst',
  'legal-officer',
  'reviewer',
  'mhpss-coordinator',
  'lead',
];
/** Who registers witnesses and records their consent. */
export const WITNESS_WRITERS: readonly Role[] = ['intake-officer', 'lead'];
/** Who lists the witnesses whose consent falls short of a use. */
export const CONSENT_GAP_READERS: readonly Role[] = ['legal-officer', 'lead'];

export const GENDERS = ['female', 'male', 'non-binary', 'undisclosed'] as const;
export type Gender = (typeof GENDERS)[number];
export const AGE_BANDS = ['under-18', '18-29', '30-44', '45-59', '60-plus', 'unknown'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const VULNERABILITIES = [
  'minor',
  'health-condition',
  'disability',
  'sgbv-survivor',
  'relative-detained',
  'at-risk-in-country',
  'displaced',
] as const;
export type Vulnerability = (typeof VULNERABILITIES)[number];
export const SCOPES = [
  'internal-analysis',
  'share-un',
  'share-icc',
  'share-national-prosecutor',
  'share-lawyer',
  'share-ngo',
  'share-osce',
  'recontact',
  'identity-disclosure',
] as const;
export type Scope = (typeof SCOPES)[number];
export const CONSENT_STATES = ['missing', 'withdrawn', 'expired', 'valid'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export const PURPOSES = ['internal-analysis', 'sharing', 'recontact', 'identity-disclosure'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const RECIPIENTS = ['none', 'un', 'icc', 'national-prosecutor', 'lawyer', 'ngo', 'osce'] as const;
export type Recipient = (typeof RECIPIENTS)[number];
export const GAP_PROBLEMS = ['missing', 'withdrawn', 'expired', 'too-narrow', 'expiring'] as const;
export type GapProblem = (typeof GAP_PROBLEMS)[number];

/** The newest consent version and its state as of today. */
export interface ConsentSummary {
  state: ConsentState;
  version?: number;
  given_on?: string;
  renew_by?: string;
  withdrawn_on?: string;
  scopes?: Scope[];
}

export interface ConsentVersion {
  version: number;
  given_on: string;
  taken_by: string;
  scopes: Scope[];
  renew_by: string;
  withdrawn_on: string;
  has_form: boolean;
  /** Only for the roles that may read the witness's own words. */
  conditions?: string;
}

/** A register entry: a pseudonymous profile, or an erased witness's tombstone. */
export interface Witness {
  code: string;
  organisation: string;
  erased: boolean;
  gender?: Gender;
  age_band?: AgeBand;
  country?: string;
  languages?: string[];
  vulnerabilities?: Vulnerability[];
  do_not_contact?: boolean;
  registered_at?: string;
  has_personal_details?: boolean;
  consent_versions?: number;
  consent?: ConsentSummary;
  erased_at?: string;
  erased_by?: string;
  erasure_reason?: string;
  erased_objects?: number;
}

export interface WitnessPermissions {
  view_personal: boolean;
  add_consent: boolean;
  check_consent: boolean;
  read_conditions: boolean;
  erase: boolean;
  /** May record interviews and documents. */
  record: boolean;
  /** May read and add to the contact log. */
  contacts: boolean;
}

export interface WitnessPage extends Witness {
  consents: ConsentVersion[];
  permissions: WitnessPermissions;
}

export interface PersonalDetails {
  name: string;
  contacts: string;
  date_of_birth: string;
  address: string;
  notes: string;
}

export interface NewWitness {
  code: string;
  organisation?: string;
  gender: Gender;
  age_band: AgeBand;
  country: string;
  languages: string[];
  vulnerabilities: Vulnerability[];
  do_not_contact: boolean;
  personal?: PersonalDetails;
}

export interface NewConsent {
  given_on: string;
  taken_by: string;
  scopes: Scope[];
  conditions: string;
  renew_by: string;
  withdrawn_on: string;
}

export interface ConsentDecision {
  allowed: boolean;
  reason: string;
}

export interface ConsentGap {
  code: string;
  organisation: string;
  problem: GapProblem;
  reason: string;
}

export interface ConsentGaps {
  gaps: ConsentGap[];
  today: string;
  within: number;
}

/** A pseudonymous code: 1 to 4 capital letters, a hyphen, 3 to 8 digits (W-00123). */
export const WITNESS_CODE = /^[A-Z]{1,4}-[0-9]{3,8}$/;

const witnessPath = (code: string) => `/api/v1/witnesses/${encodeURIComponent(code)}`;

export function listWitnesses(consent?: ConsentState | ''): Promise<{ witnesses: Witness[] }> {
  return request('GET', '/api/v1/witnesses', { query: { consent: consent || undefined } });
}

export function registerWitness(witness: NewWitness): Promise<WitnessPage> {
  return request('POST', '/api/v1/witnesses', { body: witness });
}

export function getWitness(code: string): Promise<WitnessPage> {
  return request('GET', witnessPath(code));
}

/** Who the witness is; the server logs the view before it answers. */
export function personalDetails(code: string): Promise<PersonalDetails & { code: string }> {
  return request('GET', `${witnessPath(code)}/personal`);
}

export function addConsent(code: string, consent: NewConsent): Promise<ConsentVersion> {
  return request('POST', `${witnessPath(code)}/consents`, { body: consent });
}

export function checkConsent(code: string, purpose: Purpose, recipient: Recipient): Promise<ConsentDecision> {
  return request('GET', `${witnessPath(code)}/consent-check`, { query: { purpose, recipient } });
}

export function consentGaps(purpose: Purpose, recipient: Recipient, within: number): Promise<ConsentGaps> {
  return request('GET', '/api/v1/consent-gaps', { query: { purpose, recipient, within: String(within) } });
}

export function eraseWitness(code: string, reason: string): Promise<WitnessPage> {
  return request('DELETE', witnessPath(code), { query: { reason } });
}

// ---------------------------------------------------------------------------------------------
// Interviews, documents, the contact log, translations, jobs and import (docs/openapi.yaml).

export const INTERVIEW_STATUSES = ['recorded', 'transcribed', 'translated', 'coded', 'summarised'] as const;
export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];
export const DOCUMENT_KINDS = ['medical', 'court', 'official', 'photo', 'video', 'audio', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const CONTACT_CHANNELS = ['in-person', 'phone', 'video', 'messenger', 'email', 'through-third-party'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
/** The languages offered for a translation (any ISO 639 code is accepted). */
export const TRANSLATION_LANGUAGES = ['en', 'ru', 'be', 'uk', 'pl', 'lt'] as const;
/** Who adds human translations and retries failed jobs (in the material's organisation). */
export const TRANSLATORS: readonly Role[] = EVIDENCE_WRITERS;
/** Who imports manifests: those who register witnesses. */
export const IMPORTERS: readonly Role[] = WITNESS_WRITERS;

export interface Interview {
  id: string;
  code: string;
  on: string;
  place: string;
  remote: boolean;
  interviewer: string;
  languages: string[];
  recordings: string[];
  transcript: string;
  translations: string[];
  status: InterviewStatus;
  /** Objects of the interview the caller may not read. */
  withheld: number;
}

export type NewInterview = Pick<Interview, 'on' | 'place' | 'remote' | 'interviewer' | 'languages' | 'recordings'> & {
  transcript?: string;
};

/** An object derived from another: extracted (or OCR) text, image metadata or a translation. */
export interface DerivedText extends EvidenceObject {
  derived_from: string;
  tool: string;
  tool_version: string;
  kind: 'text' | 'translation' | 'metadata';
  language: string;
  from: string;
  machine: boolean;
  /** The person who made a human translation. */
  by: string | null;
}

export interface ShownObject extends EvidenceObject {
  role: 'recording' | 'transcript' | 'translation';
  texts: DerivedText[];
}

export interface InterviewPage {
  interview: Interview;
  objects: ShownObject[];
  permissions: { update: boolean; translate: boolean };
}

export interface WitnessDocument {
  object_id: string;
  code: string;
  kind: DocumentKind;
  date: string;
  language: string;
  description: string;
  interview_id: string;
  sensitivity: Sensitivity;
  size: number;
  created_at: string;
}

export type NewDocument = Pick<WitnessDocument, 'object_id' | 'kind' | 'date' | 'language' | 'description' | 'interview_id'>;

export interface DocumentPage {
  document: WitnessDocument;
  object: EvidenceObject;
  texts: DerivedText[];
  permissions: { translate: boolean };
}

export interface Contact {
  on: string;
  by: string;
  channel: ContactChannel;
  planned: boolean;
  purpose: string;
}

/** A processing job as the monitor shows it. */
export interface MonitoredJob extends Job {
  domain: string;
  max_attempts: number;
  created_at: string;
  updated_at: string;
  /** Whether the caller may retry it now. */
  retry: boolean;
}

export interface ManifestProblem {
  line: number;
  column: number;
  message: string;
}

export interface ImportResult {
  dry_run: boolean;
  rows: number;
  files: number;
  problems: ManifestProblem[];
  report: { witnesses: number; consents: number; interviews: number; documents: number; skipped: number } | null;
}

export function listInterviews(code: string): Promise<{ interviews: Interview[] }> {
  return request('GET', `${witnessPath(code)}/interviews`);
}

export function recordInterview(code: string, interview: NewInterview): Promise<Interview> {
  return request('POST', `${witnessPath(code)}/interviews`, { body: interview });
}

const interviewPath = (id: string) => `/api/v1/interviews/${encodeURIComponent(id)}`;

export function getInterview(id: string): Promise<InterviewPage> {
  return request('GET', interviewPath(id));
}

export function advanceInterview(id: string, status: InterviewStatus): Promise<Interview> {
  return request('PATCH', interviewPath(id), { body: { status } });
}

export function listDocuments(code: string): Promise<{ documents: WitnessDocument[]; withheld: number }> {
  return request('GET', `${witnessPath(code)}/documents`);
}

export function addDocument(code: string, document: NewDocument): Promise<WitnessDocument> {
  return request('POST', `${witnessPath(code)}/documents`, { body: document });
}

export function getDocument(id: string): Promise<DocumentPage> {
  return request('GET', `/api/v1/documents/${encodeURIComponent(id)}`);
}

export function listContacts(code: string): Promise<{ contacts: Contact[] }> {
  return request('GET', `${witnessPath(code)}/contacts`);
}

export function addContact(code: string, contact: Contact): Promise<{ contact: Contact; warnings: string[] }> {
  return request('POST', `${witnessPath(code)}/contacts`, { body: contact });
}

export function checkContact(code: string, on: string): Promise<{ on: string; warnings: string[] }> {
  return request('GET', `${witnessPath(code)}/contact-check`, { query: { on } });
}

export function addTranslation(objectId: string, language: string, text: string, from?: string): Promise<DerivedText> {
  return request('POST', `/api/v1/objects/${encodeURIComponent(objectId)}/translations`, {
    body: from ? { language, from, text } : { language, text },
  });
}

export function listJobs(state: Job['state'] | '', before?: number | null, limit = 50): Promise<{ jobs: MonitoredJob[]; next: number | null }> {
  return request('GET', '/api/v1/jobs', {
    query: { state: state || undefined, before: before?.toString(), limit: String(limit) },
  });
}

export function retryJob(id: number): Promise<Job> {
  return request('POST', `/api/v1/jobs/${id}/retry`);
}

/** A manifest and the files it names, as one multipart body; files are matched by name. */
export function importManifest(
  manifest: File,
  files: readonly File[],
  dryRun: boolean,
  onProgress: (fraction: number) => void,
): UploadHandle<ImportResult> {
  const form = new FormData();
  form.append('manifest', manifest, manifest.name);
  for (const f of files) form.append('files', f, f.name);
  return sendWithProgress(withQuery('/api/v1/imports', { dry_run: dryRun ? 'true' : undefined }), form, null, onProgress);
}

/** The first `bytes` bytes of an object (416 for an empty one is left to the caller). */
async function fetchRange(url: string, bytes: number): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(url, { headers: { Range: `bytes=0-${bytes - 1}` }, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (r.status === 401) sessionLost();
  if (!r.ok && r.status !== 416) throw errorFromBody(r.status, await r.text());
  return r;
}

/** The URL that shows an object in the page (a PDF frame, an image, a player). */
export function inlineUrl(id: string): string {
  return `${contentUrl(id)}?inline=1`;
}

/**
 * The media type the server would show the object as, from a read of its first bytes (logged
 * like any read); application/octet-stream for what a browser should not display.
 */
export async function displayType(id: string): Promise<string> {
  const r = await fetchRange(inlineUrl(id), 16);
  if (r.status === 416) return 'application/octet-stream'; // empty: nothing to show
  return (r.headers.get('content-type') ?? 'application/octet-stream').split(';')[0].trim();
}

/** Texts are shown up to this many bytes; longer ones are downloaded. */
export const MAX_SHOWN_TEXT = 2 * 1024 * 1024;

/** An object's text (UTF-8), its first MAX_SHOWN_TEXT bytes; each read is logged by the server. */
export async function readText(id: string): Promise<{ text: string; truncated: boolean }> {
  const r = await fetchRange(contentUrl(id), MAX_SHOWN_TEXT);
  if (r.status === 416) return { text: '', truncated: false }; // an empty object has no bytes to ask for
  const bytes = new Uint8Array(await r.arrayBuffer());
  const total = Number((r.headers.get('content-range') ?? '').split('/')[1] ?? bytes.length);
  const truncated = total > bytes.length;
  // A character cut at the end of a truncated text is left out rather than shown as U+FFFD.
  return { text: new TextDecoder('utf-8').decode(bytes, { stream: truncated }), truncated };
}

// ---------------------------------------------------------------------------------------------
// Search and saved searches (docs/openapi.yaml, /api/v1/search). The server searches only what
// the caller may read: hits, counts, facets and snippets never reach beyond it.

export const SEARCH_SORTS = ['relevance', 'newest', 'oldest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
/** The facets the server counts, in the order the page shows them. */
export const SEARCH_FACETS = ['type', 'language', 'month', 'facility', 'place', 'code', 'organisation'] as const;
export type SearchFacet = (typeof SEARCH_FACETS)[number];
/** Hits on one page of results. */
export const SEARCH_PAGE_SIZE = 20;

/** A passage of one text: escaped text in which only <mark>…</mark> is markup. */
export interface SearchSnippet {
  id: string;
  type: string;
  language: string;
  html: string;
}

export interface SearchHit {
  id: string;
  type: string;
  language: string;
  organisation: string;
  witness: string;
  date: string;
  title: string;
  /** What to open: "interview/<id>", "document/<object id>", "object/<id>" or "coding/<object id>?annotation=<id>". */
  open: string;
  score: number;
  /** The hit's own snippet first, then those of the other texts of its source. */
  snippets: SearchSnippet[];
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SavedSearch {
  id: number;
  name: string;
  query: string;
  created_at: string;
  /** Items added since the owner last looked. */
  new: number;
}

export interface SearchResults {
  query: string;
  total: number;
  /** False when `total` is the index's estimate. */
  total_exact: boolean;
  offset: number;
  limit: number;
  /** The index revision this search saw; posting it marks a saved search as seen. */
  mark: number;
  hits: SearchHit[];
  facets?: Partial<Record<string, FacetValue[]>>;
  /** For the new items of a saved search: the saved search itself. */
  saved?: SavedSearch;
}

export function search(query: string, offset: number, sort: SearchSort, limit = SEARCH_PAGE_SIZE): Promise<SearchResults> {
  return request('GET', '/api/v1/search', {
    query: { q: query, offset: String(offset), limit: String(limit), sort, facets: '1' },
  });
}

export function listSavedSearches(): Promise<{ saved_searches: SavedSearch[] }> {
  return request('GET', '/api/v1/saved-searches');
}

export function saveSearch(name: string, query: string): Promise<SavedSearch> {
  return request('POST', '/api/v1/saved-searches', { body: { name, query } });
}

const savedSearchPath = (id: number) => `/api/v1/saved-searches/${encodeURIComponent(String(id))}`;

/** What is new for a saved search since its owner last looked. */
export function savedSearchNew(id: number, offset: number, limit = SEARCH_PAGE_SIZE): Promise<SearchResults> {
  return request('GET', `${savedSearchPath(id)}/new`, {
    query: { offset: String(offset), limit: String(limit), facets: '1' },
  });
}

export function markSavedSearchSeen(id: number, mark: number): Promise<SavedSearch> {
  return request('POST', `${savedSearchPath(id)}/seen`, { body: { mark } });
}

export function deleteSavedSearch(id: number): Promise<void> {
  return request('DELETE', savedSearchPath(id));
}

// ---------------------------------------------------------------------------------------------
// Coding (docs/openapi.yaml, /api/v1/coding): the hub's coding framework, the coding workspace of
// an object, annotations, passages by code and inter-coder agreement. Text offsets are Unicode
// code points (see codepoints.ts), times milliseconds, regions fractions of the page (0 to 1).

/** Who reads codings and agreement; who codes; who edits the framework (the server decides). */
export const CODING_READERS: readonly Role[] = ['analyst', 'legal-officer', 'reviewer', 'lead'];
export const CODERS: readonly Role[] = ['analyst', 'lead'];
export const FRAMEWORK_EDITORS: readonly Role[] = ['administrator'];

/** A text in the three languages of the framework. */
export interface Texts {
  en: string;
  be: string;
  ru: string;
}

export interface FrameworkCode {
  id: string;
  /** "" for a top-level code. */
  parent: string;
  labels: Texts;
  definitions: Texts;
  restricted: boolean;
  retired: boolean;
  revision: number;
  history: unknown[];
}

export interface Framework {
  format: string;
  format_version: number;
  version: number;
  codes: FrameworkCode[];
}

export interface FrameworkDiff {
  added: string[];
  relabelled: string[];
  moved: string[];
  restriction_changed: string[];
  retired: string[];
  reinstated: string[];
  removed: string[];
  rewritten: string[];
}
export const DIFF_KINDS = ['added', 'relabelled', 'moved', 'restriction_changed', 'retired', 'reinstated', 'removed', 'rewritten'] as const;

export interface FrameworkAnswer {
  framework: Framework;
  /** Who stored this version, and when; null for the framework the hub ships with. */
  stored_by: string | null;
  stored_at: string | null;
  /** What a change did (after an edit or an import). */
  diff?: FrameworkDiff;
}

export interface FrameworkCheck {
  diff: FrameworkDiff;
  version: number;
  acceptable: boolean;
  problem: string;
}

/** A code as the framework editor sends it. */
export interface CodeEdit {
  id: string;
  parent: string;
  label: Texts;
  definition: Texts;
  restricted: boolean;
  retired?: boolean;
  revision?: number;
}

export const DATE_PRECISIONS = ['day', 'month', 'year', 'approximate'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

export interface Facets {
  date: { from: string; to: string; precision: string };
  place: string;
  facility: string;
  persons: string[];
  units: string[];
  victims: string;
  perpetrators: string;
}

/** A code as applied: its label at the revision the coder saw, and the code's revision now. */
export interface AppliedCode {
  id: string;
  revision: number;
  label: Partial<Texts>;
  /** null when the code is no longer in the framework. */
  current_revision: number | null;
  restricted: boolean;
}

export type TargetKind = 'text' | 'region' | 'time';

/** Where an annotation points: text (code points) or time (ms) [begin, end), or a page region. */
export interface Target {
  kind: TargetKind;
  begin?: number;
  end?: number;
  page?: number;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
}

export interface Annotation extends Target {
  id: string;
  version: number;
  object_id: string;
  object_sha256?: string;
  codes: AppliedCode[];
  facets: Facets;
  memo: string;
  coder: string;
  coded_at: string;
  removed: boolean;
  passage: string;
}

export interface CodingObject {
  object: { id: string; sha256: string; media_type: string; size: number; sensitivity: Sensitivity; witness: string };
  /** The object's text when it is text (UTF-8); null for a PDF, an image or a recording. */
  text: string | null;
  /** The text's length in code points. */
  length: number;
  /** How many pages a PDF has when its pages can be shown (pageUrl); null otherwise. */
  pages: number | null;
  annotations: Annotation[];
  /** Annotations the caller may not see (restricted codes). */
  withheld: number;
  framework_version: number;
  may_code: boolean;
}

/** What a coder sends: the target, the code ids, facets and memo. */
export interface AnnotationDraft extends Target {
  object_id: string;
  codes: string[];
  facets: Facets;
  memo: string;
}

export interface CoderPairAgreement {
  coder_a: string;
  coder_b: string;
  kappa: number | null;
  kappa_undefined: string;
  observed: number;
  chance: number;
  table: { both: number; only_a: number; only_b: number; neither: number };
  overlap: number | null;
}

export interface Disagreement {
  object_id: string;
  unit: number;
  begin: number;
  end: number;
  applied: string[];
  not_applied: string[];
}

export interface CodeAgreement {
  code: string;
  pairs: CoderPairAgreement[];
  mean_kappa: number | null;
  alpha: number | null;
  alpha_undefined: string;
  disagreements: Disagreement[];
}

export interface AgreementReport {
  coders: string[];
  units: number;
  pairable_units: number;
  overall_alpha: number | null;
  codes: CodeAgreement[];
}

export function getFramework(): Promise<FrameworkAnswer> {
  return request('GET', '/api/v1/coding/framework');
}

export function frameworkExportUrl(format: 'json' | 'csv'): string {
  return withQuery('/api/v1/coding/framework/export', { format });
}

export function checkFramework(basedOn: number, format: 'json' | 'csv', content: string): Promise<FrameworkCheck> {
  return request('PUT', '/api/v1/coding/framework', { body: { based_on: basedOn, format, content, dry_run: true } });
}

export function importFramework(basedOn: number, format: 'json' | 'csv', content: string): Promise<FrameworkAnswer> {
  return request('PUT', '/api/v1/coding/framework', { body: { based_on: basedOn, format, content } });
}

export function addCode(basedOn: number, code: CodeEdit): Promise<FrameworkAnswer> {
  return request('POST', '/api/v1/coding/framework/codes', { body: { based_on: basedOn, code } });
}

export function editCode(basedOn: number, code: CodeEdit): Promise<FrameworkAnswer> {
  return request('PUT', `/api/v1/coding/framework/codes/${encodeURIComponent(code.id)}`, { body: { based_on: basedOn, code } });
}

/** The coding workspace of an object: its text (a logged read) and the annotations on it. */
export function getCodingObject(id: string): Promise<CodingObject> {
  return request('GET', `/api/v1/coding/objects/${encodeURIComponent(id)}`);
}

/** A page of a PDF as an image to code regions on (each read is logged by the server). */
export function pageUrl(id: string, page: number): string {
  return `/api/v1/coding/objects/${encodeURIComponent(id)}/pages/${page}`;
}

export function addAnnotation(draft: AnnotationDraft): Promise<Annotation> {
  return request('POST', '/api/v1/coding/annotations', { body: draft });
}

const annotationPath = (id: string) => `/api/v1/coding/annotations/${encodeURIComponent(id)}`;

export function updateAnnotation(id: string, version: number, draft: AnnotationDraft): Promise<Annotation> {
  return request('PUT', annotationPath(id), { body: { ...draft, version } });
}

export function removeAnnotation(id: string, version: number): Promise<void> {
  return request('DELETE', annotationPath(id), { query: { version: String(version) } });
}

export function annotationHistory(id: string): Promise<{ versions: Annotation[] }> {
  return request('GET', `${annotationPath(id)}/history`);
}


/** Agreement among the given coders (usernames), or among all who coded the same texts. */
export function agreement(coders: readonly string[]): Promise<AgreementReport> {
  return request('GET', '/api/v1/coding/agreement', { query: { coders: coders.length > 0 ? coders.join(',') : undefined } });
}
