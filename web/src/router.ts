// A tiny hash router (#/objects, #/witnesses/W-00123, #/interviews/iv-…, #/documents/<id>,
// #/coding/<object id>): it
// needs nothing from the server beyond index.html. A page may keep its state after a "?" in the
// hash (#/search?q=…), so that it can be bookmarked.

import { useEffect, useMemo, useState } from 'react';

export type Route =
  | 'dashboard'
  | 'objects'
  | 'witnesses'
  | 'witness'
  | 'interview'
  | 'document'
  | 'jobs'
  | 'import'
  | 'consent-gaps'
  | 'users'
  | 'audit'
  | 'security'
  | 'search'
  | 'coding'
  | 'framework'
  | 'agreement'
  | 'incidents'
  | 'incident'
  | 'summaries'
  | 'summary'
  | 'requests'
  | 'request'
  | 'package'
  | 'disclosures'
  | 'not-found';

/** Where the app is: the route, and for a witness's, interview's or document's page its code or id. */
export interface Location {
  route: Route;
  param: string;
}

const PATHS: Record<string, Route> = {
  '': 'dashboard',
  '/': 'dashboard',
  '/dashboard': 'dashboard',
  '/objects': 'objects',
  '/witnesses': 'witnesses',
  '/consent-gaps': 'consent-gaps',
  '/jobs': 'jobs',
  '/import': 'import',
  '/users': 'users',
  '/audit': 'audit',
  '/security': 'security',
  '/search': 'search',
  '/framework': 'framework',
  '/agreement': 'agreement',
  '/incidents': 'incidents',
  '/summaries': 'summaries',
  '/requests': 'requests',
  '/disclosures': 'disclosures',
};

/** The pages of one record, by the path they stand under. */
type RecordRoute = 'witness' | 'interview' | 'document' | 'coding' | 'incident' | 'summary' | 'request' | 'package';
const RECORD_PATHS: Record<RecordRoute, string> = {
  witness: 'witnesses',
  interview: 'interviews',
  document: 'documents',
  coding: 'coding',
  incident: 'incidents',
  summary: 'summaries',
  request: 'requests',
  package: 'packages',
};

export function routeHref(route: Exclude<Route, 'not-found' | RecordRoute>): string {
  return route === 'dashboard' ? '#/' : `#/${route}`;
}

export function witnessHref(code: string): string {
  return `#/witnesses/${encodeURIComponent(code)}`;
}

export function interviewHref(id: string): string {
  return `#/interviews/${encodeURIComponent(id)}`;
}

export function documentHref(id: string): string {
  return `#/documents/${encodeURIComponent(id)}`;
}

/** The coding workspace of an object; with `annotation`, that annotation is shown and selected. */
export function codingHref(objectId: string, annotation?: string): string {
  const at = `#/coding/${encodeURIComponent(objectId)}`;
  return annotation ? `${at}?annotation=${encodeURIComponent(annotation)}` : at;
}

/** The search page with these parameters (q, sort, offset, saved); empty ones are left out. */
export function searchHref(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') q.set(name, String(value));
  }
  const s = q.toString();
  return s ? `#/search?${s}` : '#/search';
}

/** The parameters after "?" in the hash (#/search?q=…). */
export function hashParams(hash: string = window.location.hash): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}

/** The hash's parameters, kept up to date as the hash changes. */
export function useHashParams(): URLSearchParams {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return useMemo(() => hashParams(hash), [hash]);
}

function parse(hash: string, previous: Location): Location {
  // Only "#/…" is a route; another fragment (e.g. "#main") leaves the page as it is.
  if (hash !== '' && hash !== '#' && !hash.startsWith('#/')) return previous;
  const path = hash.replace(/^#/, '').replace(/[?].*$/, '').replace(/\/+$/, '') || '/';
  for (const [route, prefix] of Object.entries(RECORD_PATHS) as [RecordRoute, string][]) {
    const match = new RegExp(`^/${prefix}/([^/]+)$`).exec(path);
    if (!match) continue;
    let param = match[1];
    try {
      param = decodeURIComponent(param);
    } catch {
      // A malformed escape: the server will not know it either.
    }
    return { route, param };
  }
  return { route: PATHS[path] ?? 'not-found', param: '' };
}

export function useLocation(): Location {
  const [location, setLocation] = useState<Location>(() =>
    parse(window.location.hash, { route: 'dashboard', param: '' }),
  );
  useEffect(() => {
    const update = () =>
      setLocation((prev) => {
        const next = parse(window.location.hash, prev);
        return next.route === prev.route && next.param === prev.param ? prev : next;
      });
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return location;
}

export function useRoute(): Route {
  return useLocation().route;
}
