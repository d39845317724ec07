// Request bodies and large responses: JSON in, and lists written in chunks
// that respect the socket's back-pressure so a 150,000-pod LIST streams out.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyError extends Error {}

const MAX_BODY = 16 * 1024 * 1024;

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyError('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError('the request body is not valid JSON');
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const BATCH_BYTES = 1 << 20;

/** A piece of JSON text and its length in UTF-8 bytes. */
export interface JsonPiece {
  text: string;
  bytes: number;
}

function piece(text: string): JsonPiece {
  return { text, bytes: Buffer.byteLength(text) };
}

/**
 * Writes `head`, the items separated by commas, then `tail`. The text is
 * encoded straight into buffers of about a megabyte (no joined copy of it)
 * that are written respecting the socket's back-pressure; the byte length is
 * known up front, so the response carries a Content-Length.
 */
export async function writeJsonList(res: ServerResponse, headText: string, items: readonly JsonPiece[], tailText: string): Promise<void> {
  const head = piece(headText);
  const tail = piece(tailText);
  let length = head.bytes + tail.bytes + Math.max(0, items.length - 1);
  for (const item of items) length += item.bytes;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': length });
  let buffer = Buffer.allocUnsafe(Math.min(length, BATCH_BYTES));
  let used = 0;
  const put = (item: JsonPiece, separator: boolean): boolean => {
    const needed = item.bytes + (separator ? 1 : 0);
    if (used + needed <= buffer.length) {
      if (separator) buffer[used++] = COMMA;
      // ASCII text (byte length equal to its length) encodes as a plain copy.
      used += buffer.write(item.text, used, item.bytes, item.bytes === item.text.length ? 'latin1' : 'utf8');
      return true;
    }
    return false;
  };
  const flush = async (): Promise<boolean> => {
    const ok = res.write(used === buffer.length ? buffer : buffer.subarray(0, used));
    buffer = Buffer.allocUnsafe(BATCH_BYTES);
    used = 0;
    if (res.destroyed) return false;
    if (!ok) await drained(res);
    return !res.destroyed;
  };
  /** Flushes what is buffered and makes room for `bytes`; false once the client has gone. */
  const makeRoom = async (bytes: number): Promise<boolean> => {
    if (used > 0 && !(await flush())) return false;
    if (bytes > buffer.length) buffer = Buffer.allocUnsafe(bytes);
    return true;
  };
  if (!put(head, false) && (!(await makeRoom(head.bytes)) || !put(head, false))) return;
  for (let i = 0; i < items.length; i++) {
    // The common case stays synchronous: only a full buffer waits.
    if (put(items[i], i > 0)) continue;
    if (!(await makeRoom(items[i].bytes + 1)) || !put(items[i], i > 0)) return;
  }
  if (!put(tail, false) && (!(await makeRoom(tail.bytes)) || !put(tail, false))) return;
  res.end(buffer.subarray(0, used));
}

const COMMA = 0x2c;
