// Key bindings are data: a screen declares its KeyActions once and the same list
// drives input dispatch, the footer hints and the `?` help.

export interface KeyAction {
  /** A key name from keys.ts: 'q', 'enter', 'escape', 'up', 'ctrl+c', '/', ':', 'G' ... */
  key: string;
  /** Other keys that do the same (e.g. 'k' for 'up'); shown next to the key in help. */
  aliases?: string[];
  /** A short verb phrase for the footer and help: "open", "sort by NAME". */
  label: string;
  /** The label in fewer words, for the footer of a narrow terminal. */
  short?: string;
  /** Kept in the footer however narrow the terminal (abort, help). */
  essential?: boolean;
  run: () => void;
  /** Dangerous actions (drain, terminate, delete) always go through a y/N confirmation. */
  dangerous?: boolean;
  /** The question the confirmation asks; defaults to "<label>?". */
  confirm?: string;
  /** Lines under the question: what exactly will happen. */
  confirmDetail?: string[];
  /** Hidden actions still work and appear in help, but not in the footer. */
  hidden?: boolean;
  /** Heading under which help lists the action; defaults to the screen's title. */
  group?: string;
  /** A disabled action is shown dimmed in help and ignored by dispatch. */
  disabled?: boolean;
}

export function matchesKey(action: KeyAction, name: string): boolean {
  return action.key === name || (action.aliases?.includes(name) ?? false);
}

/** The first enabled action bound to a key name, searching the layers in order. */
export function findAction(layers: readonly (readonly KeyAction[])[], name: string): KeyAction | undefined {
  for (const layer of layers) {
    const found = layer.find((action) => !action.disabled && matchesKey(action, name));
    if (found) return found;
  }
  return undefined;
}

/** A stable description of what the footer and help show, so they re-render only when it changes. */
export function actionsSignature(actions: readonly KeyAction[]): string {
  return actions
    .map((a) => [a.key, ...(a.aliases ?? []), a.label, a.short ?? '', a.group ?? '', a.hidden ? 'h' : '', a.dangerous ? 'd' : '', a.disabled ? 'x' : '', a.essential ? 'e' : ''].join('\u0001'))
    .join('\u0002');
}

export function groupActions(actions: readonly KeyAction[], fallbackGroup: string): Map<string, KeyAction[]> {
  const groups = new Map<string, KeyAction[]>();
  for (const action of actions) {
    const group = action.group ?? fallbackGroup;
    const list = groups.get(group) ?? [];
    list.push(action);
    groups.set(group, list);
  }
  return groups;
}
