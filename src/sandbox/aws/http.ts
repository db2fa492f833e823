import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodePathSegments, type RequestTarget } from '../http-input.js';
import type { SignedRequestParts } from '../sigv4.js';

/** A request with its body read, the raw path and query kept for signature checks. */
export interface AwsRequest extends SignedRequestParts {
  /** The path, percent-decoded segment by segment (EKS sends ARNs as `arn%3Aaws…`). */
  path: string;
  query: URLSearchParams;
}

/** An error in the shape of the service: every protocol renders code, message and status its own way. */
export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface AwsResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** A request's line and headers; its body is read later, under the cap. */
export function awsRequestHead(req: IncomingMessage, target: RequestTarget): AwsRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    method: req.method ?? 'GET',
    rawPath: target.rawPath,
    rawQuery: target.rawQuery,
    headers,
    body: Buffer.alloc(0),
    path: decodePathSegments(target.rawPath).join('/'),
    query: new URLSearchParams(target.rawQuery),
  };
}

/** `date` is the sandbox's clock, which may differ from the machine's: the SDKs correct skew from it. */
export function send(res: ServerResponse, response: AwsResponse, requestId: string, date: Date): void {
  res.writeHead(response.status, {
    date: date.toUTCString(),
    'content-type': response.contentType,
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(response.body),
    ...response.headers,
  });
  res.end(response.body);
}

export const xmlEscape = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** `{ A: 'x', B: { C: 'y' } }` → `<A>x</A><B><C>y</C></B>`; arrays become repeated `<member>` elements. */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { [key: string]: XmlValue };

export function toXml(value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return xmlEscape(String(value));
}
