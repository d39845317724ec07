// The console: providers, the screen router, the single keypress owner and the
// frame (header, body, command line, footer). runConsole (console.tsx) mounts
// it in the alternate screen.
import { Box, useApp, useInput, type Key } from 'ink';
import { useCallback, useMemo, useRef, type ReactElement } from 'react';
import { COMMAND_LINE_ROWS, CommandLine } from './components/CommandLine.js';
import { ConfirmDialog } from './components/ConfirmDialog.js';
import { Header, HEADER_ROWS } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { FOOTER_ROWS, KeyHints, type Hint } from './components/KeyHints.js';
import { TooSmall } from './components/TooSmall.js';
import type { KeyAction } from './input/actions.js';
import { commandNamesMatching, completeCommandLine, runCommandLine, type Command, type CommandContext } from './screens/command-line.js';
import { toKeyPresses, type KeyPress } from './input/keys.js';
import { routeCluster, type Route } from './navigation/routes.js';
import { ServicesProvider, useServices, type Services } from './hooks/services.js';
import { BodySizeContext } from './hooks/useBodySize.js';
import { KeymapProvider, useCurrentKeymap } from './hooks/useKeymap.js';
import { RouterProvider, useRouter, type Router } from './hooks/useRouter.js';
import { ShellContext, type Shell } from './hooks/useShell.js';
import { useShellState, type Overlay } from './hooks/useShellState.js';
import { useClusterRegion } from './hooks/useClusterRegion.js';
import { isTooSmall, MIN_SIZE, useTerminalSize, type TerminalSize } from './hooks/useTerminalSize.js';
import { commands as screenCommands, renderScreen, screens as defaultScreens, screenTitle, type ScreenTable } from './screens/registry.js';

export interface AppProps {
  services: Services;
  initialRoute?: Route;
  /** Injected in tests; otherwise read live from stdout, with resize events. */
  size?: TerminalSize;
  /** Replaces screens by route name (tests, embedding). */
  screens?: Partial<ScreenTable>;
  /** Extra `:` commands, added to the built-in ones. */
  commands?: Command[];
}

export function App({ services, initialRoute, size, screens, commands }: AppProps) {
  const table = useMemo(() => ({ ...defaultScreens, ...screens }) as ScreenTable, [screens]);
  const allCommands = useMemo(() => [...screenCommands, ...(commands ?? [])], [commands]);
  return (
    <ServicesProvider value={services}>
      <RouterProvider initial={initialRoute ?? { name: 'clusters' }}>
        <KeymapProvider>
          <Console size={size} screens={table} commands={allCommands} />
        </KeymapProvider>
      </RouterProvider>
    </ServicesProvider>
  );
}

/** The cluster the console is on: the current route's, else the nearest one in history. */
function currentClusterOf(router: Router): string | undefined {
  for (let i = router.history.length - 1; i >= 0; i--) {
    const cluster = routeCluster(router.history[i].route);
    if (cluster) return cluster;
  }
  return undefined;
}

function globalActions(shell: Shell, router: Router, openCommandLine: () => void): KeyAction[] {
  return [
    // Essential: when a narrow footer leaves keys out, ? lists them all.
    { key: '?', label: 'help', group: 'Global', essential: true, run: shell.showHelp },
    { key: ':', label: 'command', group: 'Global', run: openCommandLine },
    { key: 'escape', label: 'back', group: 'Global', disabled: !router.canGoBack, run: () => router.back() },
    { key: 'q', label: 'quit', group: 'Global', run: shell.quit },
    { key: 'ctrl+c', label: 'quit', group: 'Global', hidden: true, run: shell.quit },
  ];
}

function footerHints(screen: readonly KeyAction[], globals: readonly KeyAction[]): Hint[] {
  const shown = (a: KeyAction) => !a.hidden && !a.disabled;
  // A screen action shadows a global one on the same key (e.g. Esc clears a filter first).
  const screenKeys = new Set(screen.filter((a) => !a.disabled).map((a) => a.key));
  return [...screen.filter(shown), ...globals.filter((a) => shown(a) && !screenKeys.has(a.key))];
}

/**
 * Under an overlay only its own keys do anything (letters type into a prompt,
 * a question takes y or n), so the footer shows those and nothing else.
 */
export function overlayHints(overlay: Overlay): Hint[] {
  switch (overlay.kind) {
    case 'confirm':
      return [
        { key: 'y', label: 'yes', essential: true },
        { key: 'n', label: 'no', essential: true },
      ];
    case 'help':
      return [
        { key: 'escape', label: 'close help', essential: true },
        { key: 'down', label: 'scroll (j/k, pgdn/pgup)', short: 'scroll' },
      ];
    case 'prompt': {
      const labels = overlay.spec.keyLabels ?? {};
      return [
        { key: 'enter', label: labels.enter ?? 'accept', essential: true },
        ...(overlay.spec.complete ? [{ key: 'tab', label: 'complete' }] : []),
        { key: 'escape', label: labels.escape ?? 'cancel', essential: true },
      ];
    }
  }
}

interface ConsoleProps {
  size?: TerminalSize;
  screens: ScreenTable;
  commands: readonly Command[];
}

function Console({ size: injectedSize, screens, commands }: ConsoleProps) {
  const size = useTerminalSize(injectedSize);
  const services = useServices();
  const router = useRouter();
  const { exit } = useApp();
  const keymap = useCurrentKeymap();
  const state = useShellState(useCallback(() => exit(), [exit]));
  const { shell } = state;
  const currentCluster = currentClusterOf(router);
  const region = useClusterRegion(currentCluster);

  // Commands and keys read the latest values through a ref: the input handler
  // is subscribed once, and keys can arrive faster than frames.
  const latest = useRef({ router, services, currentCluster, keymap, commands });
  latest.current = { router, services, currentCluster, keymap, commands };
  const commandContext = useCallback((): CommandContext => {
    const { router, services, currentCluster, keymap } = latest.current;
    return { router, shell, services, screen: keymap.current.context, currentCluster };
  }, [shell]);

  const openCommandLine = useCallback(() => {
    shell.openPrompt({
      prefix: ':',
      suggest: (text) => (text.includes(' ') ? [] : commandNamesMatching(latest.current.commands, text)),
      complete: (text) => completeCommandLine(text, latest.current.commands, commandContext()),
      onSubmit: (text) => {
        const problem = runCommandLine(text, latest.current.commands, commandContext());
        if (problem) shell.flash(problem, 'error');
      },
      keyLabels: { enter: 'run', escape: 'close' },
    });
  }, [shell, commandContext]);

  const globals = useMemo(() => globalActions(shell, router, openCommandLine), [shell, router, openCommandLine]);
  const globalsRef = useRef(globals);
  globalsRef.current = globals;
  const tooSmall = isTooSmall(size);
  const tooSmallRef = useRef(tooSmall);
  tooSmallRef.current = tooSmall;

  // Keys are handled one at a time with a render in between, so each action
  // sees the state the previous key left (several keys can arrive in one tick:
  // fast typing, key repeat, a paste).
  const queue = useRef<KeyPress[]>([]);
  const draining = useRef(false);
  const { handleKey } = state;
  const handleOne = useCallback(
    (press: KeyPress) => {
      // Below the minimum size nothing is shown, so only quitting makes sense.
      if (tooSmallRef.current) {
        if (press.name === 'q' || press.name === 'ctrl+c') shell.quit();
        return;
      }
      handleKey(press, keymap.current.actions, globalsRef.current);
    },
    [handleKey, keymap, shell],
  );
  const drain = useCallback(() => {
    const next = queue.current.shift();
    if (!next) {
      draining.current = false;
      return;
    }
    draining.current = true;
    handleOne(next);
    // React renders in a microtask; setImmediate runs after it has committed.
    setImmediate(drain);
  }, [handleOne]);
  const onInput = useCallback(
    (input: string, key: Key) => {
      queue.current.push(...toKeyPresses(input, key));
      if (!draining.current) drain();
    },
    [drain],
  );
  useInput(onInput);

  if (tooSmall) return <TooSmall size={size} min={MIN_SIZE} />;

  const body: TerminalSize = {
    columns: size.columns,
    rows: size.rows - HEADER_ROWS - COMMAND_LINE_ROWS - FOOTER_ROWS,
  };
  const { overlay, flash } = state;
  const screenActions = keymap.current.actions;
  const covered = overlay?.kind === 'help' || overlay?.kind === 'confirm';
  const route = router.current;
  return (
    <ShellContext.Provider value={shell}>
      <BodySizeContext.Provider value={body}>
        <Box flexDirection="column" width={size.columns} height={size.rows} overflowY="hidden">
          <Header
            title={screenTitle(screens, route)}
            storeUrl={services.storeUrl}
            cluster={currentCluster}
            cloud={services.cloud}
            region={region}
            simulated={services.simulated}
            width={size.columns}
          />
          <Box flexDirection="column" height={body.rows} overflowY="hidden">
            {/* The screen stays mounted under overlays so it keeps its state and its keys. */}
            <Box display={covered ? 'none' : 'flex'} flexDirection="column">
              <ScreenSlot key={router.entry.id} render={() => renderScreen(screens, route)} />
            </Box>
            {overlay?.kind === 'help' ? (
              <HelpOverlay
                screenTitle={keymap.current.title || screenTitle(screens, route)}
                screenActions={screenActions}
                globalActions={globals}
                width={body.columns}
                height={body.rows}
                offset={overlay.offset}
                onLimits={state.setHelpLimits}
              />
            ) : null}
            {overlay?.kind === 'confirm' ? (
              <ConfirmDialog message={overlay.spec.message} detail={overlay.spec.detail} width={body.columns} />
            ) : null}
          </Box>
          <CommandLine
            prompt={overlay?.kind === 'prompt' ? { prefix: overlay.spec.prefix, text: overlay.text, candidates: overlay.candidates } : undefined}
            message={flash}
            width={size.columns}
          />
          <KeyHints hints={overlay ? overlayHints(overlay) : footerHints(screenActions, globals)} width={size.columns} />
        </Box>
      </BodySizeContext.Provider>
    </ShellContext.Provider>
  );
}

function ScreenSlot({ render }: { render: () => ReactElement }) {
  return render();
}
