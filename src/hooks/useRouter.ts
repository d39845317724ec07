// The screen router: a history stack of routes with push, back and replace.
// Each history entry keeps a small memory (selected row, scroll position) so
// Esc returns to the screen as the user left it.
import { createContext, createElement, useCallback, useContext, useMemo, useReducer, useState, type ReactNode } from 'react';
import { sameRoute, type Route } from '../navigation/routes.js';

export interface HistoryEntry {
  id: number;
  route: Route;
  /** Per-entry state that survives while the entry is in history (see useRouteMemory). */
  memory: Map<string, unknown>;
}

export interface Router {
  current: Route;
  entry: HistoryEntry;
  history: readonly HistoryEntry[];
  canGoBack: boolean;
  push(route: Route): void;
  replace(route: Route): void;
  /** Returns false when there is nothing to go back to. */
  back(): boolean;
}

type Action = { type: 'push' | 'replace'; route: Route } | { type: 'back' };

let nextEntryId = 1;
function newEntry(route: Route): HistoryEntry {
  return { id: nextEntryId++, route, memory: new Map() };
}

export function historyReducer(history: HistoryEntry[], action: Action): HistoryEntry[] {
  switch (action.type) {
    case 'push': {
      const top = history[history.length - 1];
      if (top && sameRoute(top.route, action.route)) return history;
      return [...history, newEntry(action.route)];
    }
    case 'replace':
      return [...history.slice(0, -1), newEntry(action.route)];
    case 'back':
      return history.length > 1 ? history.slice(0, -1) : history;
  }
}

const RouterContext = createContext<Router | null>(null);

export function RouterProvider({ initial, children }: { initial: Route; children?: ReactNode }) {
  const [history, dispatch] = useReducer(historyReducer, undefined, () => [newEntry(initial)]);
  const push = useCallback((route: Route) => dispatch({ type: 'push', route }), []);
  const replace = useCallback((route: Route) => dispatch({ type: 'replace', route }), []);
  const canGoBack = history.length > 1;
  const back = useCallback(() => {
    dispatch({ type: 'back' });
    return canGoBack;
  }, [canGoBack]);
  const entry = history[history.length - 1];
  const router = useMemo<Router>(
    () => ({ current: entry.route, entry, history, canGoBack, push, replace, back }),
    [entry, history, canGoBack, push, replace, back],
  );
  return createElement(RouterContext.Provider, { value: router }, children);
}

export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter() called outside <RouterProvider>');
  return router;
}

/**
 * useState whose value is remembered in the current history entry: leaving the
 * screen with Enter and coming back with Esc restores it.
 */
export function useRouteMemory<T>(key: string, initial: T): [T, (value: T | ((previous: T) => T)) => void] {
  const { entry } = useRouter();
  const [value, setValue] = useState<T>(() => (entry.memory.has(key) ? (entry.memory.get(key) as T) : initial));
  const remember = useCallback(
    (next: T | ((previous: T) => T)) => {
      // Read the latest value from the entry, not the render's: several keys can
      // arrive in one input event, before React renders again.
      const previous = entry.memory.has(key) ? (entry.memory.get(key) as T) : initial;
      const value = typeof next === 'function' ? (next as (previous: T) => T)(previous) : next;
      entry.memory.set(key, value);
      setValue(value);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `initial` is read only when the entry has no value yet; a new `initial` must not make a new setter
    [entry, key],
  );
  return [value, remember];
}
