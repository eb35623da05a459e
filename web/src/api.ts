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
  query?: Query;
  /** Sign-in answers 401 for a wrong password; that must not be taken as a lost session. */
  signIn?: boolean;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
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

export interface UploadHandle {
  promise: Promise<UploadResult>;
  abort: () => void;
}

/**
 * Uploads a file's bytes with XMLHttpRequest (fetch cannot report upload progress).
 * onProgress gets the fraction sent, from 0 to 1.
 */
export function uploadObject(
  file: Blob,
  domain: string,
  organisation: string | null,
  sensitivity: Sensitivity,
  onProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadResult>((resolve, reject) => {
    xhr.open('POST', withQuery('/api/v1/objects', { domain, sensitivity, organisation: organisation || undefined }));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
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
          resolve(JSON.parse(xhr.responseText) as UploadResult);
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
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
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
  'recontact',
  'identity-disclosure',
] as const;
export type Scope = (typeof SCOPES)[number];
export const CONSENT_STATES = ['missing', 'withdrawn', 'expired', 'valid'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export const PURPOSES = ['internal-analysis', 'sharing', 'recontact', 'identity-disclosure'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const RECIPIENTS = ['none', 'un', 'icc', 'national-prosecutor', 'lawyer', 'ngo'] as const;
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
