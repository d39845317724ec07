// ESLint (flat config): the recommended sets of ESLint, typescript-eslint and
// React's hooks plugin, and the layers of the design notes as import rules.
// `npm test` runs it (scripts/run-tests.mjs) after `tsc --noEmit`, which checks
// the types of src, test and bench; the rules here are the ones without types.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// ---------------------------------------------------------------------------
// Layers. Dependencies point one way:
//   cli -> commands -> startup, app/console -> screens -> components -> hooks
//        -> sessions, input, navigation -> engine
// Sessions (src/sessions) are the UI-free controllers the hooks subscribe to:
// engine only, no React or Ink. src/input (key presses, key actions, prompt
// editing) may name Ink's key type; src/navigation (routes) is plain data.
// The engine imports no UI (no Ink, no React, nothing above it); the simulator
// (src/sim) is imported only by start-up code (src/startup, src/cli.tsx and the
// `kopsdeck sim` subcommand that serves it) and by tests and benchmarks.
//
// ESLint's own no-restricted-imports matches import specifiers, not resolved
// paths, so a layer is named by a relative specifier that climbs into it
// ('../sim/x.js', '../../hooks/x.js', './app.js'); no folder inside a layer
// reuses the name of a layer it must not import, so that is exact. Dynamic
// import() (commands load heavy modules lazily) is not seen by that rule: the
// same patterns are applied to it with no-restricted-syntax.
// ---------------------------------------------------------------------------

const UI_PACKAGES = ['react', 'react-dom', 'ink', 'ink-*', 'ink-testing-library'];

/** A relative specifier reaching the top-level src folder `name`, or the top-level module `name`.js. */
const layerSource = (names) => `^\\.\\.?\\/(?:\\.\\.\\/)*(?:${names.join('|')})(?:\\/|\\.js$)`;

const LAYER = {
  sim: ['sim'],
  startup: ['startup'],
  commands: ['commands'],
  shell: ['app', 'console', 'cli'],
  screens: ['screens'],
  components: ['components'],
  terminal: ['terminal'],
  hooks: ['hooks'],
  sessions: ['sessions'],
  input: ['input'],
  navigation: ['navigation'],
  // Inside the engine: the cloud seam is what reconcile builds on, never the reverse.
  reconcile: ['reconcile'],
};

/** Where a layer name lives, for messages (top-level src folders unless named here). */
const LAYER_PATH = { reconcile: 'src/engine/reconcile' };

/**
 * One config object per layer (their file sets do not overlap, since a later
 * object's options replace an earlier one's): `forbidden` are layer names from
 * LAYER, `ui` forbids the UI packages too.
 */
function layer(name, files, forbidden, { ui = false, ignores = [] } = {}) {
  const names = forbidden.flatMap((l) => LAYER[l]);
  const shown = names.map((n) => LAYER_PATH[n] ?? (LAYER.shell.includes(n) ? `src/${n}.tsx` : `src/${n}`));
  const message = `${name} may not import ${shown.join(', ')}${ui ? ', React or Ink' : ''} (see "Layers" in the README's Development section)`;
  const source = layerSource(names);
  return {
    name: `kopsdeck/layers/${name}`,
    files,
    ignores,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: source, message },
            ...(ui ? [{ group: UI_PACKAGES, message }] : []),
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // esquery regexes cannot hold a '/': \x2F stands for it.
          selector: `ImportExpression > Literal[value=/${source.replaceAll('\\/', '\\x2F')}/]`,
          message,
        },
        ...(ui
          ? [{ selector: `ImportExpression > Literal[value=/^(?:react|react-dom|ink)(?:$|-|\\x2F)/]`, message }]
          : []),
      ],
    },
  };
}

const ENGINE_FORBIDS = ['sim', 'startup', 'commands', 'shell', 'screens', 'components', 'terminal', 'hooks', 'sessions', 'input', 'navigation'];

const layers = [
  layer('src/engine', ['src/engine/**'], ENGINE_FORBIDS, { ui: true, ignores: ['src/engine/cloud/**'] }),
  layer('src/engine/cloud', ['src/engine/cloud/**'], [...ENGINE_FORBIDS, 'reconcile'], { ui: true }),
  // The simulator builds on the engine's types and parsers, never on the UI.
  layer('src/sim', ['src/sim/**'], ['startup', 'commands', 'shell', 'screens', 'components', 'terminal', 'hooks', 'sessions', 'input', 'navigation'], { ui: true }),
  layer('src/sessions', ['src/sessions/**'], ['sim', 'startup', 'commands', 'shell', 'screens', 'components', 'terminal', 'hooks', 'input', 'navigation'], { ui: true }),
  layer('src/input', ['src/input/**'], ['sim', 'startup', 'commands', 'shell', 'screens', 'components', 'terminal', 'hooks', 'sessions', 'navigation']),
  layer('src/navigation', ['src/navigation/**'], ['sim', 'startup', 'commands', 'shell', 'screens', 'components', 'terminal', 'hooks', 'sessions', 'input'], { ui: true }),
  layer('src/hooks', ['src/hooks/**'], ['sim', 'startup', 'commands', 'shell', 'screens', 'components', 'terminal']),
  layer('src/components', ['src/components/**'], ['sim', 'startup', 'commands', 'shell', 'screens', 'terminal']),
  layer('src/screens', ['src/screens/**'], ['sim', 'startup', 'commands', 'shell', 'terminal']),
  layer('src/terminal', ['src/terminal/**'], ['sim', 'startup', 'commands', 'shell', 'screens', 'components', 'hooks', 'sessions', 'input', 'navigation']),
  layer('src/app.tsx, src/console.tsx', ['src/app.tsx', 'src/console.tsx'], ['sim', 'startup', 'commands']),
  // Start-up chooses real AWS or the simulator and opens the cloud session;
  // subcommands (src/commands, opening the console included) build on it, so
  // start-up never imports them back.
  layer('src/startup', ['src/startup/**'], ['commands']),
  // `kopsdeck sim` serves the simulator: it is start-up code, like src/startup.
  layer('src/commands', ['src/commands/**'], ['sim'], { ignores: ['src/commands/sim-command.ts'] }),
];

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are mistakes, but `_`-prefixed ones are deliberate (a
      // parameter kept for its position, a rest sibling that drops a field).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // `let x; const world = new World({ onChange: () => x?.save() }); x = new Saver(world);`
      // is set once but read (by a closure) before: `const` there would put it in its temporal dead zone.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      // The recommended set warns; here a missing dependency fails, and a
      // deliberate one (a change counter such as the model's version standing
      // for a mutable object) says why in an eslint-disable comment.
      'react-hooks/exhaustive-deps': 'error',
      // The recommended set also checks code is safe for the React Compiler to
      // memoize. kopsdeck does not compile with it, and what these flag is
      // deliberate here: latest-value refs written during render and read by
      // Ink's input handlers and timers (refs), a callback scheduling itself
      // (immutability), an effect resetting state when its source changes
      // (set-state-in-effect), Date.now() for an elapsed time that a ticker
      // re-renders (purity). The other compiler rules stay on.
      'react-hooks/refs': 'off',
      'react-hooks/immutability': 'off',
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/purity': 'off',
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // Tests feed deliberately malformed documents to the spec's validators
      // and read untyped JSON from the simulator's admin API.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  ...layers,
);
