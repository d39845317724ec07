// The two form-encoded query protocols: EC2's (lowerCamel elements, lists of
// <item>, errors under <Response><Errors>) and AutoScaling's awsQuery
// (<XResult> wrapper, lists of <member>, errors under <ErrorResponse>).
import { AwsError } from './aws-error.js';
import { sendXml, type AwsRequest } from './aws-service.js';
import { parseQueryParams, Params } from './query-params.js';
import { escapeXml, xmlDocument, type XmlValue } from './xml.js';

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const AUTOSCALING_XMLNS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';

const paramsCache = new WeakMap<AwsRequest, Params>();

export function queryParams(request: AwsRequest): Params {
  let params = paramsCache.get(request);
  if (!params) {
    const query = request.url.search.slice(1);
    const body = request.body.toString('utf8');
    params = new Params(parseQueryParams([query, body].filter(Boolean).join('&')));
    paramsCache.set(request, params);
  }
  return params;
}

export function queryAction(request: AwsRequest): string {
  const action = queryParams(request).str('Action');
  if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action');
  return action;
}

export function sendEc2(request: AwsRequest, action: string, result: { [key: string]: XmlValue }): void {
  const body = { requestId: request.requestId, ...result };
  sendXml(request, 200, xmlDocument(`${action}Response`, body, ec2ItemName, EC2_XMLNS));
}

export function sendEc2Error(request: AwsRequest, error: AwsError): void {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${request.requestId}</RequestID></Response>`;
  sendXml(request, error.status, xml);
}

/** `xmlns`: the service's namespace (AutoScaling's unless given; Elastic Load Balancing has its own). */
export function sendAwsQuery(request: AwsRequest, action: string, result: { [key: string]: XmlValue } | null, xmlns = AUTOSCALING_XMLNS): void {
  const body: { [key: string]: XmlValue } = {};
  if (result) body[`${action}Result`] = result;
  body.ResponseMetadata = { RequestId: request.requestId };
  sendXml(request, 200, xmlDocument(`${action}Response`, body, () => 'member', xmlns));
}

export function sendAwsQueryError(request: AwsRequest, error: AwsError, xmlns = AUTOSCALING_XMLNS): void {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${request.requestId}</RequestId></ErrorResponse>`;
  sendXml(request, error.status, xml);
}

/** EC2 tags as <tagSet><item><key/><value/></item></tagSet>. */
export function ec2Tags(tags: Record<string, string>): XmlValue[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * EC2 names list items `item`, but for a launch template network interface's
 * groupSet, a list of bare group ids, whose items are `groupId` (an instance's
 * groupSet holds objects in `item`s).
 */
function ec2ItemName(listName: string, items: readonly XmlValue[]): string {
  return listName === 'groupSet' && items.length > 0 && items.every((item) => typeof item === 'string') ? 'groupId' : 'item';
}
