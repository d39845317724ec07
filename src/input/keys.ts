// Key names: one spelling for a keypress, shared by key actions, the dispatcher,
// the footer and the help. Ink reports keys as (input, flags); everything above
// this file compares plain strings such as 'q', 'enter', 'ctrl+c' or 'G'.
import type { Key } from 'ink';

/** A keypress as the dispatcher sees it: its name plus the raw text (for text inputs). */
export interface KeyPress {
  name: string;
  input: string;
  key: Key;
}

const namedFlags: [keyof Key, string][] = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'],
  ['home', 'home'],
  ['end', 'end'],
  ['return', 'enter'],
  ['escape', 'escape'],
  ['backspace', 'backspace'],
  // Most terminals send DEL (0x7f) for the Backspace key; Ink names it "delete".
  ['delete', 'backspace'],
];

export function keyName(input: string, key: Key): string {
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  for (const [flag, name] of namedFlags) if (key[flag]) return name;
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

export function toKeyPress(input: string, key: Key): KeyPress {
  return { name: keyName(input, key), input, key };
}

const noFlags: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

function charPress(char: string): KeyPress {
  const code = char.charCodeAt(0);
  if (char === '\r' || char === '\n') return { name: 'enter', input: '', key: { ...noFlags, return: true } };
  if (char === '\t') return { name: 'tab', input: '', key: { ...noFlags, tab: true } };
  if (char === '\x7f' || char === '\b') return { name: 'backspace', input: '', key: { ...noFlags, backspace: true } };
  if (code < 0x20) {
    const letter = String.fromCharCode(code + 96);
    return { name: `ctrl+${letter}`, input: letter, key: { ...noFlags, ctrl: true } };
  }
  return { name: char === ' ' ? 'space' : char, input: char, key: { ...noFlags, shift: /[A-Z]/.test(char) } };
}

/**
 * The keypresses in one input event. Ink hands over a run of plain characters
 * (fast typing, key repeat, a paste, tmux send-keys) as one string; each
 * character is its own keypress, so `jjj` moves three rows.
 */
export function toKeyPresses(input: string, key: Key): KeyPress[] {
  const chars = [...input];
  if (chars.length <= 1 || input.includes('\x1b') || key.ctrl || key.meta) return [toKeyPress(input, key)];
  return chars.map(charPress);
}

const displayNames: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pageup: 'pgup',
  pagedown: 'pgdn',
  escape: 'esc',
  space: 'space',
};

/** How a key name is shown to a person, e.g. 'ctrl+c' -> 'ctrl-c', 'up' -> '↑'. */
export function displayKey(name: string): string {
  if (displayNames[name]) return displayNames[name];
  if (name.startsWith('ctrl+')) return 'ctrl-' + name.slice(5);
  return name;
}

/** True for a keypress that types text (used by prompts), not a command key. */
export function isPrintable(press: KeyPress): boolean {
  const { key, input } = press;
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return false;
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  return input.length > 0 && !/[\u0000-\u001f\u007f]/.test(input);
}
