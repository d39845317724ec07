// The shell's overlays (help, prompt, confirmation) and its message line, plus
// the one function that routes every keypress: overlay first, then the
// screen's actions, then the global ones. State lives in a ref as well as in
// React state so that keys arriving faster than frames see the latest overlay.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { findAction, type KeyAction } from '../input/actions.js';
import type { KeyPress } from '../input/keys.js';
import { editPrompt } from '../input/prompt.js';
import type { ConfirmSpec, FlashLevel, PromptSpec, Shell } from './useShell.js';
import { errorMessage } from '../engine/error-message.js';

export type Overlay =
  | { kind: 'help'; offset: number }
  | { kind: 'confirm'; spec: ConfirmSpec }
  | { kind: 'prompt'; spec: PromptSpec; text: string; candidates: string[] };

export interface Flash {
  text: string;
  level: FlashLevel;
}

export interface ShellState {
  shell: Shell;
  overlay: Overlay | undefined;
  flash: Flash | undefined;
  /** Routes one keypress; `screen` and `globals` are the current action lists. */
  handleKey(press: KeyPress, screen: readonly KeyAction[], globals: readonly KeyAction[]): void;
  /** The help tells how far it can scroll (it knows its layout; the keys come here). */
  setHelpLimits(limits: { maxOffset: number; page: number }): void;
}

/** Where a key moves the help's first row, or undefined when the key does not scroll it. */
export function scrolledHelp(offset: number, key: string, limits: { maxOffset: number; page: number }): number | undefined {
  const moves: Record<string, number> = { down: 1, j: 1, up: -1, k: -1, pagedown: limits.page, space: limits.page, 'ctrl+f': limits.page, pageup: -limits.page, 'ctrl+b': -limits.page };
  if (key === 'g' || key === 'home') return 0;
  if (key === 'G' || key === 'end') return limits.maxOffset;
  if (moves[key] === undefined) return undefined;
  return Math.min(limits.maxOffset, Math.max(0, offset + moves[key]));
}

const FLASH_MS = 6000;

export function useShellState(quit: () => void): ShellState {
  const overlayRef = useRef<Overlay | undefined>(undefined);
  const [overlay, setOverlayState] = useState<Overlay | undefined>(undefined);
  const [flash, setFlashState] = useState<Flash | undefined>(undefined);
  const flashRef = useRef<Flash | undefined>(undefined);
  const flashTimer = useRef<NodeJS.Timeout | undefined>(undefined);
  const quitRef = useRef(quit);
  quitRef.current = quit;
  const helpLimits = useRef({ maxOffset: 0, page: 1 });
  const setHelpLimits = useCallback((limits: { maxOffset: number; page: number }) => {
    helpLimits.current = limits;
  }, []);

  const setOverlay = useCallback((next: Overlay | undefined) => {
    overlayRef.current = next;
    setOverlayState(next);
  }, []);
  const setFlash = useCallback((next: Flash | undefined) => {
    clearTimeout(flashTimer.current);
    flashRef.current = next;
    setFlashState(next);
    if (next) flashTimer.current = setTimeout(() => setFlash(undefined), FLASH_MS);
  }, []);
  useEffect(() => () => clearTimeout(flashTimer.current), []);

  const shell = useMemo<Shell>(
    () => ({
      openPrompt: (spec) => {
        const text = spec.initial ?? '';
        setOverlay({ kind: 'prompt', spec, text, candidates: spec.suggest?.(text) ?? [] });
      },
      confirm: (spec) => setOverlay({ kind: 'confirm', spec }),
      flash: (text, level = 'info') => setFlash({ text, level }),
      showHelp: () => setOverlay({ kind: 'help', offset: 0 }),
      quit: () => quitRef.current(),
    }),
    [setOverlay, setFlash],
  );

  const completePrompt = useCallback(
    (current: Extract<Overlay, { kind: 'prompt' }>) => {
      const { spec, text } = current;
      if (!spec.complete) return;
      Promise.resolve(spec.complete(text)).then(
        (completion) => {
          const now = overlayRef.current;
          // Drop a completion that arrives after the user typed on or closed the prompt.
          if (now?.kind !== 'prompt' || now.spec !== spec || now.text !== text) return;
          setOverlay({ ...now, text: completion.text, candidates: completion.candidates });
          if (completion.text !== text) spec.onChange?.(completion.text);
        },
        (error: unknown) => setFlash({ text: `Completion failed: ${errorMessage(error)}`, level: 'error' }),
      );
    },
    [setOverlay, setFlash],
  );

  const handleOverlayKey = useCallback(
    (current: Overlay, press: KeyPress) => {
      if (current.kind === 'help') {
        if (['escape', '?', 'q', 'enter'].includes(press.name)) return setOverlay(undefined);
        const offset = scrolledHelp(current.offset, press.name, helpLimits.current);
        if (offset !== undefined && offset !== current.offset) setOverlay({ kind: 'help', offset });
        return;
      }
      if (current.kind === 'confirm') {
        if (press.name === 'y' || press.name === 'Y') {
          setOverlay(undefined);
          current.spec.onYes();
        } else if (['n', 'N', 'escape', 'enter'].includes(press.name)) {
          setOverlay(undefined);
          current.spec.onNo?.();
        }
        return;
      }
      const edit = editPrompt(current.text, press, { emptyBackspace: current.spec.emptyBackspace });
      switch (edit.kind) {
        case 'text':
          setOverlay({ ...current, text: edit.text, candidates: current.spec.suggest?.(edit.text) ?? [] });
          current.spec.onChange?.(edit.text);
          return;
        case 'submit':
          setOverlay(undefined);
          current.spec.onSubmit(current.text);
          return;
        case 'cancel':
          setOverlay(undefined);
          current.spec.onCancel?.();
          return;
        case 'complete':
          completePrompt(current);
          return;
      }
    },
    [setOverlay, completePrompt],
  );

  const handleKey = useCallback(
    (press: KeyPress, screen: readonly KeyAction[], globals: readonly KeyAction[]) => {
      if (press.name === 'ctrl+c') return quitRef.current();
      const current = overlayRef.current;
      if (current) return handleOverlayKey(current, press);
      if (flashRef.current) setFlash(undefined);
      const action = findAction([screen, globals], press.name);
      if (!action) return;
      if (action.dangerous) {
        shell.confirm({ message: action.confirm ?? `${action.label}?`, detail: action.confirmDetail, onYes: action.run });
      } else {
        action.run();
      }
    },
    [handleOverlayKey, setFlash, shell],
  );

  return { shell, overlay, flash, handleKey, setHelpLimits };
}
