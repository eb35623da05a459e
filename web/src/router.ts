// A tiny hash router (#/objects): it needs nothing from the server beyond index.html.

import { useEffect, useState } from 'react';

export type Route = 'dashboard' | 'objects' | 'users' | 'audit' | 'security' | 'not-found';

const PATHS: Record<string, Route> = {
  '': 'dashboard',
  '/': 'dashboard',
  '/dashboard': 'dashboard',
  '/objects': 'objects',
  '/users': 'users',
  '/audit': 'audit',
  '/security': 'security',
};

export function routeHref(route: Exclude<Route, 'not-found'>): string {
  return route === 'dashboard' ? '#/' : `#/${route}`;
}

function parse(hash: string, previous: Route): Route {
  // Only "#/…" is a route; another fragment (e.g. "#main") leaves the page as it is.
  if (hash !== '' && hash !== '#' && !hash.startsWith('#/')) return previous;
  const path = hash.replace(/^#/, '').replace(/[?].*$/, '').replace(/\/+$/, '') || '/';
  return PATHS[path] ?? 'not-found';
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parse(window.location.hash, 'dashboard'));
  useEffect(() => {
    const update = () => setRoute((prev) => parse(window.location.hash, prev));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
