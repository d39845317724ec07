// The `/` filter, k9s style: `/` opens a prompt that filters as you type, Enter
// keeps the filter, Esc in the prompt (or Esc later) clears it.
import { useMemo } from 'react';
import type { KeyAction } from '../input/actions.js';
import { useRouteMemory } from './useRouter.js';
import { useShell } from './useShell.js';

export interface Filter {
  text: string;
  set(text: string): void;
  actions: KeyAction[];
}

export function useFilter(id: string, group = 'Table'): Filter {
  const shell = useShell();
  const [text, setText] = useRouteMemory(`${id}:filter`, '');
  const actions = useMemo<KeyAction[]>(() => {
    const list: KeyAction[] = [
      {
        key: '/',
        label: 'filter',
        group,
        run: () =>
          shell.openPrompt({
            prefix: '/',
            initial: text,
            onChange: setText,
            onSubmit: (value) => setText(value.trim()),
            onCancel: () => setText(''),
            keyLabels: { enter: 'keep filter', escape: 'clear filter' },
          }),
      },
    ];
    if (text !== '') list.push({ key: 'escape', label: 'clear filter', group, run: () => setText('') });
    return list;
  }, [shell, text, setText, group]);
  return { text, set: setText, actions };
}

/** Case-insensitive match of every word of the filter against a row's text. */
export function matchesFilter(haystack: string, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const text = haystack.toLowerCase();
  return words.every((w) => text.includes(w));
}
