// Text from elsewhere (an API's message, a cause) joined into our sentences:
// each piece ends with a full stop so the pieces read as sentences.
export function asSentence(text: string | undefined): string {
  const trimmed = (text ?? '').trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
