// Reference counting for sessions that screens share: each screen takes a hold
// while it shows the session; when the last hold is let go, `onIdle` runs.
// Letting go of the same hold twice counts once.

export interface Held {
  holders: number;
}

export function takeHold(entry: Held, onIdle: () => void): () => void {
  entry.holders += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    entry.holders -= 1;
    if (entry.holders === 0) onIdle();
  };
}
