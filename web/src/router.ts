// A tiny hash router (#/objects, #/witnesses/W-00123): it needs nothing from the server beyond
// index.html.

import { useEffect, useState } from 'react';

export type Route =
  | 'dashboard'
  | 'objects'
  | 'witnesses'
  | 'witness'
  | 'consent-gaps'
  | 'users'
  | 'audit'
  | 'security'
  | 'not-found';

/** Where the app is: the route, and for a witness's page the code. */
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
  '/users': 'users',
  '/audit': 'audit',
  '/security': 'security',
};

export function routeHref(route: Exclude<Route, 'not-found' | 'witness'>): string {
  return route === 'dashboard' ? '#/' : `#/${route}`;
}

export function witnessHref(code: string): string {
  return `#/witnesses/${encodeURIComponent(code)}`;
}

function parse(hash: string, previous: Location): Location {
  // Only "#/…" is a route; another fragment (e.g. "#main") leaves the page as it is.
  if (hash !== '' && hash !== '#' && !hash.startsWith('#/')) return previous;
  const path = hash.replace(/^#/, '').replace(/[?].*$/, '').replace(/\/+$/, '') || '/';
  const witness = /^\/witnesses\/([^/]+)$/.exec(path);
  if (witness) {
    let code = witness[1];
    try {
      code = decodeURIComponent(code);
    } catch {
      // A malformed escape: the server will not know the code either.
    }
    return { route: 'witness', param: code };
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
