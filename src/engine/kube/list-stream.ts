// A Kubernetes list read as it arrives: the response's bytes are scanned chunk
// by chunk, and each element of its "items" array is parsed as soon as its
// closing brace is in. A 5,000-node list is 14 MB of JSON; read whole, the
// client copies it into one buffer, decodes it into one string and parses it
// only after the last byte, all of it while the user waits. Read this way, that
// work happens while the rest of the list is still on the wire, and no copy of
// the whole answer is ever held.
import type { KubeList } from './types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** What the list held besides its items (kind, apiVersion, metadata), with `items` empty. */
export type ListEnvelope = Omit<KubeList<never>, 'items'> & { items: [] };

export class ListItemStream<T> {
  private depth = 0;
  private inString = false;
  /** Backslashes just before the current position inside a string (an odd count escapes the next byte). */
  private backslashes = 0;
  /** The text of the string being read at depth 1 (a key of the list object), or undefined elsewhere. */
  private topLevelString: string | undefined;
  private lastTopLevelString = '';
  /** Inside the "items" array (depth 2 and deeper belong to it). */
  private inItems = false;
  private itemsSeen = false;
  /** The parts of the item being read, from earlier chunks. */
  private itemParts: Buffer[] = [];
  private inItem = false;
  /** The bytes outside the items array: parsed at the end as the envelope. */
  private readonly envelopeParts: Buffer[] = [];

  /** Where the current chunk's next backslash is (its length when none is left). */
  private nextBackslash = -1;

  constructor(private readonly onItem: (item: T) => void) {}

  /** Scans one chunk; calls onItem for every item it completes. */
  write(chunk: Buffer): void {
    this.nextBackslash = -1;
    let itemStart = this.inItem ? 0 : -1;
    let envelopeStart = this.inItems ? -1 : 0;
    const length = chunk.length;
    let i = 0;
    while (i < length) {
      if (this.inString) {
        i = this.skipString(chunk, i);
        continue;
      }
      const byte = chunk[i];
      if (byte === QUOTE) {
        this.inString = true;
        this.backslashes = 0;
        if (this.depth === 1) this.topLevelString = '';
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (this.depth === 1 && byte === OPEN_BRACKET && this.lastTopLevelString === 'items' && !this.itemsSeen) {
          this.inItems = true;
          this.itemsSeen = true;
          this.envelopeParts.push(chunk.subarray(envelopeStart, i + 1));
          envelopeStart = -1;
        } else if (this.inItems && this.depth === 2) {
          this.inItem = true;
          itemStart = i;
        }
        this.depth += 1;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth -= 1;
        if (this.inItem && this.depth === 2) {
          this.inItem = false;
          this.emit(chunk.subarray(itemStart, i + 1));
          itemStart = -1;
        } else if (this.inItems && this.depth === 1) {
          this.inItems = false;
          envelopeStart = i;
        }
      }
      i += 1;
    }
    if (this.inItem) this.itemParts.push(Buffer.from(chunk.subarray(itemStart)));
    if (envelopeStart >= 0) this.envelopeParts.push(Buffer.from(chunk.subarray(envelopeStart)));
  }

  /** The list's envelope, once every chunk has been written; throws when the text was not a whole list. */
  end(): ListEnvelope {
    if (this.depth !== 0 || this.inString) throw new SyntaxError('the list ended before its JSON was complete');
    const envelope = JSON.parse(Buffer.concat(this.envelopeParts).toString('utf8')) as ListEnvelope;
    if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) throw new SyntaxError('the answer is not a list object');
    envelope.items = [];
    return envelope;
  }

  /** Reads string bytes from `i`; returns the index after the string's closing quote, or the chunk's end. */
  private skipString(chunk: Buffer, i: number): number {
    const length = chunk.length;
    const recordText = this.topLevelString !== undefined;
    while (i < length) {
      const byte = chunk[i];
      if (byte === BACKSLASH) {
        this.backslashes += 1;
      } else {
        if (byte === QUOTE && this.backslashes % 2 === 0) {
          this.inString = false;
          if (recordText) {
            this.lastTopLevelString = this.topLevelString!;
            this.topLevelString = undefined;
          }
          return i + 1;
        }
        this.backslashes = 0;
        // A run of plain bytes: jump to the next quote or backslash (most of a list is string bytes).
        if (!recordText) {
          i = this.nextSpecial(chunk, i + 1);
          continue;
        }
      }
      if (recordText) this.topLevelString += String.fromCharCode(byte);
      i += 1;
    }
    return i;
  }

  /** The index of the next quote or backslash at or after `from`, or the chunk's length. */
  private nextSpecial(chunk: Buffer, from: number): number {
    const quote = chunk.indexOf(QUOTE, from);
    const end = quote < 0 ? chunk.length : quote;
    // Backslashes are rare: the next one is found once per chunk position, not per string.
    if (this.nextBackslash < from) {
      const found = chunk.indexOf(BACKSLASH, from);
      this.nextBackslash = found < 0 ? chunk.length : found;
    }
    return Math.min(end, this.nextBackslash);
  }

  private emit(tail: Buffer): void {
    let text: string;
    if (this.itemParts.length === 0) text = tail.toString('utf8');
    else {
      this.itemParts.push(tail);
      text = Buffer.concat(this.itemParts).toString('utf8');
      this.itemParts = [];
    }
    this.onItem(JSON.parse(text) as T);
  }
}

