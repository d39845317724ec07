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

/** Writes `head`, the items separated by commas, then `tail`, about a megabyte at a time. */
export async function writeJsonList(res: ServerResponse, head: string, items: string[], tail: string): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  let batch: string[] = [head];
  let size = head.length;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) batch.push(',');
    batch.push(items[i]);
    size += items[i].length + 1;
    if (size >= 1 << 20) {
      const ok = res.write(batch.join(''));
      batch = [];
      size = 0;
      if (res.destroyed) return;
      if (!ok) await drained(res);
      if (res.destroyed) return;
    }
  }
  batch.push(tail);
  res.end(batch.join(''));
}
