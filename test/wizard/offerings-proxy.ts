// A stand-in for EC2 DescribeInstanceTypeOfferings, which the simulator does
// not answer yet: an HTTP proxy in front of the simulator that answers that
// one action (EC2 query protocol, XML) with a fixed list of instance types and
// passes every other request through unchanged.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OfferingsProxy {
  url: string;
  /** The form parameters of each DescribeInstanceTypeOfferings call received. */
  calls: URLSearchParams[];
  close(): Promise<void>;
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function offeringsXml(types: readonly string[], region: string): string {
  const items = types
    .map((t) => `<item><instanceType>${xmlEscape(t)}</instanceType><locationType>region</locationType><location>${xmlEscape(region)}</location></item>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<DescribeInstanceTypeOfferingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
    `<requestId>offerings-proxy</requestId><instanceTypeOfferingSet>${items}</instanceTypeOfferingSet>` +
    '</DescribeInstanceTypeOfferingsResponse>'
  );
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Offers `types` in every region asked about; everything else goes to `target`. */
export async function startOfferingsProxy(target: string, types: readonly string[]): Promise<OfferingsProxy> {
  const upstream = new URL(target);
  const calls: URLSearchParams[] = [];
  const server: Server = createServer(async (req, res) => {
    const payload = await body(req);
    const form = new URLSearchParams(payload.toString('utf8'));
    if (form.get('Action') === 'DescribeInstanceTypeOfferings') {
      calls.push(form);
      const region = form.get('Filter.1.Value.1') ?? 'us-east-1';
      res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(offeringsXml(types, region));
      return;
    }
    const forwarded = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    forwarded.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
