// Scrolling a block of lines (a YAML view, a log): offset plus the key actions
// that move it, with the same keys as tables.
import { useMemo } from 'react';
import type { KeyAction } from './actions.js';
import { useRouteMemory } from './useRouter.js';

export interface Scroll {
  offset: number;
  maxOffset: number;
  actions: KeyAction[];
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

export function useScroll(id: string, lineCount: number, height: number, group = 'Scroll'): Scroll {
  const [stored, setOffset] = useRouteMemory(`${id}:offset`, 0);
  const maxOffset = Math.max(0, lineCount - height);
  const offset = clamp(stored, 0, maxOffset);
  const actions = useMemo<KeyAction[]>(() => {
    const page = Math.max(1, height - 1);
    const by = (delta: number) => () => setOffset((previous) => clamp(clamp(previous, 0, maxOffset) + delta, 0, maxOffset));
    const to = (value: number) => () => setOffset(clamp(value, 0, maxOffset));
    return [
      { key: 'down', aliases: ['j'], label: 'scroll down', group, hidden: true, run: by(1) },
      { key: 'up', aliases: ['k'], label: 'scroll up', group, hidden: true, run: by(-1) },
      { key: 'pagedown', aliases: ['ctrl+f', 'space'], label: 'page down', group, hidden: true, run: by(page) },
      { key: 'pageup', aliases: ['ctrl+b'], label: 'page up', group, hidden: true, run: by(-page) },
      { key: 'g', aliases: ['home'], label: 'top', group, hidden: true, run: to(0) },
      { key: 'G', aliases: ['end'], label: 'bottom', group, hidden: true, run: to(maxOffset) },
    ];
  }, [maxOffset, height, group, setOffset]);
  return { offset, maxOffset, actions };
}
