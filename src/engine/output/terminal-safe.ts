// Text from outside (Kubernetes objects, AWS, the state store, files) made
// safe for a terminal: control characters, which could retitle the window,
// clear the screen or rewrite what was printed, are shown as visible escapes
// (`\u001b`), as are the bidirectional overrides that reorder a line. Newlines
// and tabs are kept. kopsdeck's command-line output has no styling of its
// own, so every line it prints goes through here. The escape is JSON's (and
// YAML's double-quoted one): in -o json output, where JSON.stringify leaves
// C1 controls and bidi overrides raw, the value still reads back exactly.

// C0 controls but tab and newline, DEL, C1 controls, bidi embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
