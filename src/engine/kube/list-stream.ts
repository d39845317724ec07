// A Kubernetes list read as it arrives: the response's bytes are scanned chunk
// by chunk, and each element of its "items" array is parsed as soon as its
// closing brace is in. A 5,000-node list is 14 MB of JSON; read whole, the
// client copies it into one buffer, decodes it into one string and parses it
// only after the last byte, all of it while the user waits. Read this way, that
// work happens while the rest of the list is still on the wire, and no copy of
// the whole answer is ever held.
//
// Fields a cache never keeps (a node's image list and every object's
// managedFields: on a real node most of its bytes) can be left out before
// parsing: their values are read as null, so their text is never decoded.
import type { KubeList } from './types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const DROPPED_FIELD = /^[\w-]+\.[\w-]+$/;

/** What the list held besides its items (kind, apiVersion, metadata), with `items` empty. */
export type ListEnvelope = Omit<KubeList<never>, 'items'> & { items: [] };

export interface ListStreamOptions {
  /**
   * Fields of each item that are not parsed, as "parent.field" (for example
   * "status.images", "metadata.managedFields"): an object or array there is
   * read as null. For caches that drop the field anyway.
   */
  dropFields?: readonly string[];
}

export class ListItemStream<T> {
  private depth = 0;
  private inString = false;
  /** Backslashes just before the current position inside a string (an odd count escapes the next byte). */
  private backslashes = 0;
  /** The string being read may be a key that matters (see recordsAt): its text is kept when short enough. */
  private recording = false;
  /** Where the recorded string's text starts in the current chunk. */
  private recordStart = 0;
  /** Its text from earlier chunks; undefined once it is longer than any key that matters. */
  private recordPrefix: string | undefined = '';
  /** The longest key that matters ("items", dropped fields' names): longer strings are not kept. */
  private readonly maxKeyLength: number;
  /** The last string read at depths 1, 3 and 4: the key of a container that opens at that depth. */
  private readonly lastKey = ['', '', '', '', ''];
  /** Inside the "items" array (depth 2 and deeper belong to it). */
  private inItems = false;
  private itemsSeen = false;
  /** The item's text so far, decoded up to a dropped field (a cut at an ASCII bracket, never inside a character). */
  private itemText = '';
  /** The item's bytes from earlier chunks, not decoded yet: a chunk may end inside a character. */
  private itemBytes: Buffer[] = [];
  private inItem = false;
  /** The bytes outside the items array: parsed at the end as the envelope. */
  private readonly envelopeParts: Buffer[] = [];
  /** Dropped fields by parent key ("status" -> {"images"}). */
  private readonly drops = new Map<string, Set<string>>();
  /** The item's member being read (depth 4) is an object's: its containers are keyed values. */
  private inItemObjectMember = false;
  /** The depth a dropped field's value closes back to, or -1 when none is being skipped. */
  private dropDepth = -1;

  /** Where the current chunk's next backslash is (its length when none is left). */
  private nextBackslash = -1;

  constructor(
    private readonly onItem: (item: T) => void,
    options: ListStreamOptions = {},
  ) {
    let maxKeyLength = 'items'.length;
    for (const path of options.dropFields ?? []) {
      // Plain names: a key is compared as its raw bytes (one written with escapes is simply parsed).
      if (!DROPPED_FIELD.test(path)) throw new Error(`a dropped field is "parent.field" in letters, digits, - and _, not "${path}"`);
      const [parent, field] = path.split('.');
      if (!this.drops.has(parent)) this.drops.set(parent, new Set());
      this.drops.get(parent)!.add(field);
      maxKeyLength = Math.max(maxKeyLength, parent.length, field.length);
    }
    this.maxKeyLength = maxKeyLength;
  }

  /** Scans one chunk; calls onItem for every item it completes. */
  write(chunk: Buffer): void {
    this.nextBackslash = -1;
    this.recordStart = 0;
    let itemStart = this.inItem && this.dropDepth < 0 ? 0 : -1;
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
        if (this.recordsAt(this.depth)) {
          this.recording = true;
          this.recordStart = i + 1;
          this.recordPrefix = '';
        }
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (this.depth === 1 && byte === OPEN_BRACKET && this.lastKey[1] === 'items' && !this.itemsSeen) {
          this.inItems = true;
          this.itemsSeen = true;
          this.envelopeParts.push(chunk.subarray(envelopeStart, i + 1));
          envelopeStart = -1;
        } else if (this.inItems && this.depth === 2) {
          this.inItem = true;
          itemStart = i;
        } else if (this.inItem && this.depth === 3) {
          this.inItemObjectMember = byte === OPEN_BRACE;
        } else if (this.inItem && this.depth === 4 && this.dropDepth < 0 && this.isDropped()) {
          // The item's text so far, then null where the value was; its bytes are scanned, not kept.
          this.itemText += this.decodedItemText(chunk.subarray(itemStart, i)) + 'null';
          itemStart = -1;
          this.dropDepth = 4;
        }
        this.depth += 1;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth -= 1;
        if (this.depth === this.dropDepth) {
          this.dropDepth = -1;
          itemStart = i + 1;
        } else if (this.inItem && this.depth === 2) {
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
    if (this.inItem && itemStart >= 0) this.itemBytes.push(Buffer.from(chunk.subarray(itemStart)));
    if (envelopeStart >= 0) this.envelopeParts.push(Buffer.from(chunk.subarray(envelopeStart)));
  }

  /** Whether a string at `depth` may be a key that matters: "items" at the top; an item's member and field names when fields are dropped. */
  private recordsAt(depth: number): boolean {
    return depth === 1 || (this.drops.size > 0 && this.inItem && this.dropDepth < 0 && (depth === 3 || (depth === 4 && this.inItemObjectMember)));
  }

  /** Whether the container opening at depth 4 is the value of a dropped field. */
  private isDropped(): boolean {
    return this.inItemObjectMember && this.drops.get(this.lastKey[3])?.has(this.lastKey[4]) === true;
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
    while (i < length) {
      const byte = chunk[i];
      if (byte === BACKSLASH) {
        this.backslashes += 1;
        i += 1;
        continue;
      }
      if (byte === QUOTE && this.backslashes % 2 === 0) {
        this.inString = false;
        if (this.recording) this.lastKey[this.depth] = this.recordedText(chunk, i) ?? '';
        this.recording = false;
        return i + 1;
      }
      this.backslashes = 0;
      // A run of plain bytes: jump to the next quote or backslash (most of a list is string bytes).
      i = this.nextSpecial(chunk, i + 1);
    }
    if (this.recording) this.recordPrefix = this.recordedText(chunk, length);
    return i;
  }

  /** The recorded string's text up to `end` in this chunk, or undefined when longer than any key that matters. */
  private recordedText(chunk: Buffer, end: number): string | undefined {
    if (this.recordPrefix === undefined || this.recordPrefix.length + end - this.recordStart > this.maxKeyLength) return undefined;
    return this.recordPrefix + chunk.toString('latin1', this.recordStart, end);
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
    const text = this.itemText + this.decodedItemText(tail);
    this.itemText = '';
    this.onItem(JSON.parse(text) as T);
  }

  /** The item's undecoded bytes from earlier chunks and then `piece` (which ends at a whole character), as text. */
  private decodedItemText(piece: Buffer): string {
    if (this.itemBytes.length === 0) return piece.toString('utf8');
    this.itemBytes.push(piece);
    const text = Buffer.concat(this.itemBytes).toString('utf8');
    this.itemBytes = [];
    return text;
  }
}

