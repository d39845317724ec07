// What screens and commands may ask of the shell: a prompt line, a y/N
// confirmation, a short message, the help, quitting. The shell owns all
// overlays so that one input handler decides who gets each key.
import { createContext, useContext } from 'react';

export interface Completion {
  /** The new prompt text (unchanged when nothing completes). */
  text: string;
  /** What could follow, shown next to the prompt when there is more than one. */
  candidates: string[];
}

export interface PromptSpec {
  /** Shown before the text: ':' for commands, '/' for filters. */
  prefix: string;
  initial?: string;
  /** Called on every edit (live filtering). */
  onChange?(text: string): void;
  onSubmit(text: string): void;
  onCancel?(): void;
  /** Backspace on an empty prompt: 'close' it (the default, as k9s and vim), or 'stay' (a form field: nothing to delete). */
  emptyBackspace?: 'close' | 'stay';
  /** Tab completion. */
  complete?(text: string): Completion | Promise<Completion>;
  /** Candidates shown while typing, before Tab. */
  suggest?(text: string): string[];
  /** What Enter and Esc do here, for the footer: "accept" and "cancel" unless said. */
  keyLabels?: { enter?: string; escape?: string };
}

export interface ConfirmSpec {
  /** The question, e.g. "Drain node ip-10-0-1-5?" */
  message: string;
  /** Optional detail lines under the question. */
  detail?: string[];
  onYes(): void;
  onNo?(): void;
}

export type FlashLevel = 'info' | 'warn' | 'error';

export interface Shell {
  openPrompt(spec: PromptSpec): void;
  confirm(spec: ConfirmSpec): void;
  flash(message: string, level?: FlashLevel): void;
  showHelp(): void;
  quit(): void;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell() called outside the console shell');
  return shell;
}
