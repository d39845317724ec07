// The registry of the current screen's key actions. A screen calls
// useScreenActions(actions) once per render; the shell's single input handler
// reads the latest list from a ref (fresh closures, no re-subscription), and the
// footer and help re-render only when what they show actually changes.
import { createContext, createElement, useContext, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { actionsSignature, type KeyAction } from '../input/actions.js';

/** What the current screen is pointing at, for commands such as `:spec` without an argument. */
export interface ScreenContext {
  cluster?: string;
}

export interface ScreenKeymap {
  title: string;
  actions: readonly KeyAction[];
  context: ScreenContext;
}

interface KeymapRegistry {
  current: { readonly current: ScreenKeymap };
  set(keymap: ScreenKeymap): void;
  clear(keymap: ScreenKeymap): void;
}

const emptyKeymap: ScreenKeymap = { title: '', actions: [], context: {} };
const KeymapContext = createContext<KeymapRegistry | null>(null);
const KeymapVersionContext = createContext(0);

function signature(keymap: ScreenKeymap): string {
  return keymap.title + '\u0003' + actionsSignature(keymap.actions) + '\u0003' + JSON.stringify(keymap.context);
}

export function KeymapProvider({ children }: { children?: ReactNode }) {
  const ref = useRef<ScreenKeymap>(emptyKeymap);
  const lastSignature = useRef('');
  const [version, setVersion] = useState(0);
  const registry = useMemo<KeymapRegistry>(() => {
    const publish = (keymap: ScreenKeymap) => {
      ref.current = keymap;
      const next = signature(keymap);
      if (next !== lastSignature.current) {
        lastSignature.current = next;
        setVersion((v) => v + 1);
      }
    };
    return {
      current: ref,
      set: publish,
      clear: (keymap) => {
        if (ref.current === keymap) publish(emptyKeymap);
      },
    };
  }, []);
  return createElement(
    KeymapContext.Provider,
    { value: registry },
    createElement(KeymapVersionContext.Provider, { value: version }, children),
  );
}

function useRegistry(): KeymapRegistry {
  const registry = useContext(KeymapContext);
  if (!registry) throw new Error('key actions used outside <KeymapProvider>');
  return registry;
}

/**
 * Declares the current screen's key actions (and what it points at). Call it
 * once per screen, on every render, with the screen's whole list.
 */
export function useScreenActions(title: string, actions: readonly KeyAction[], context: ScreenContext = {}): void {
  const registry = useRegistry();
  const keymap: ScreenKeymap = { title, actions, context };
  const latest = useRef(keymap);
  latest.current = keymap;
  useLayoutEffect(() => registry.set(keymap));
  useLayoutEffect(() => () => registry.clear(latest.current), [registry]);
}

/** The current screen's keymap; the caller re-renders when its shown content changes. */
export function useCurrentKeymap(): { readonly current: ScreenKeymap } {
  useContext(KeymapVersionContext);
  return useRegistry().current;
}
