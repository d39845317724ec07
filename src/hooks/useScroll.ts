// Scrolling a block of lines (a YAML view, a log): offset plus the key actions
// that move it, with the same keys as tables.
import { useMemo } from 'react';
import type { KeyAction } from '../input/actions.js';
import { useRouteMemory } from './useRouter.js';

export interface Scroll {
  offset: number;
  maxOffset: number;
  actions: KeyAction[];
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

export interface ScrollOptions {
  /**
   * Follow the end, as a followed log does: the window stays on the last lines
   * as lines are added, until the user scrolls up; scrolling back to the end
   * (G, or down past it) follows again.
   */
  stickToBottom?: boolean;
}

/** Where the window is: a line offset, or pinned to the end (only with stickToBottom). */
type Position = number | 'end';

export function useScroll(id: string, lineCount: number, height: number, group = 'Scroll', options: ScrollOptions = {}): Scroll {
  const stick = options.stickToBottom ?? false;
  const [stored, setPosition] = useRouteMemory<Position>(`${id}:offset`, stick ? 'end' : 0);
  const maxOffset = Math.max(0, lineCount - height);
  const offset = stored === 'end' ? maxOffset : clamp(stored, 0, maxOffset);
  const actions = useMemo<KeyAction[]>(() => {
    const page = Math.max(1, height - 1);
    const place = (next: number): Position => (stick && next >= maxOffset ? 'end' : next);
    const from = (previous: Position) => (previous === 'end' ? maxOffset : clamp(previous, 0, maxOffset));
    const by = (delta: number) => () => setPosition((previous) => place(clamp(from(previous) + delta, 0, maxOffset)));
    const to = (value: number) => () => setPosition(place(clamp(value, 0, maxOffset)));
    return [
      { key: 'down', aliases: ['j'], label: 'scroll down', group, hidden: true, run: by(1) },
      { key: 'up', aliases: ['k'], label: 'scroll up', group, hidden: true, run: by(-1) },
      { key: 'pagedown', aliases: ['ctrl+f', 'space'], label: 'page down', group, hidden: true, run: by(page) },
      { key: 'pageup', aliases: ['ctrl+b'], label: 'page up', group, hidden: true, run: by(-page) },
      { key: 'g', aliases: ['home'], label: 'top', group, hidden: true, run: to(0) },
      { key: 'G', aliases: ['end'], label: stick ? 'bottom (and stay there as lines arrive)' : 'bottom', group, hidden: true, run: to(maxOffset) },
    ];
  }, [maxOffset, height, group, setPosition, stick]);
  return { offset, maxOffset, actions };
}
