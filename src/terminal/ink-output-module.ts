// Where Ink's Output class lives. Ink does not export it (the pinned 6.8 keeps
// it in build/output.js), so under Node it is found beside Ink's entry point.
// The bundle (scripts/bundle.mjs) replaces this module with a static import of
// that same file, so the class patched is the one the bundled Ink uses rather
// than a second copy loaded from node_modules.
export function importInkOutputModule(): Promise<{ default?: unknown }> {
  return import(new URL('./output.js', import.meta.resolve('ink')).href) as Promise<{ default?: unknown }>;
}
