// Line editing for the prompt (command line and filter): pure, so the shell's
// input handler stays small and the rules are easy to test.
import { isPrintable, type KeyPress } from './keys.js';

export type PromptEdit =
  | { kind: 'text'; text: string }
  | { kind: 'submit' }
  | { kind: 'cancel' }
  | { kind: 'complete' }
  | { kind: 'ignore' };

export function editPrompt(text: string, press: KeyPress, options: { emptyBackspace?: 'close' | 'stay' } = {}): PromptEdit {
  switch (press.name) {
    case 'enter':
      return { kind: 'submit' };
    case 'escape':
      return { kind: 'cancel' };
    case 'tab':
      return { kind: 'complete' };
    case 'backspace':
      // Backspace on an empty prompt closes it, as in k9s and vim.
      if (text === '') return options.emptyBackspace === 'stay' ? { kind: 'ignore' } : { kind: 'cancel' };
      return { kind: 'text', text: text.slice(0, -1) };
    case 'ctrl+u':
      return { kind: 'text', text: '' };
    case 'ctrl+w':
      return { kind: 'text', text: text.replace(/\S+\s*$/, '') };
    case 'space':
      return { kind: 'text', text: text + ' ' };
  }
  if (isPrintable(press)) return { kind: 'text', text: text + press.input };
  return { kind: 'ignore' };
}
