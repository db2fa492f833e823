import type { RequestAttributes } from './rules.js';

/** A `v1 Status` body as kube-apiserver sends it (facts §7.7). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    retryAfterSeconds?: number;
    causes?: { reason: string; message: string; field: string }[];
  };
  code: number;
}

export function failure(code: number, reason: string, message: string, details?: Status['details']): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export const unauthorized = (): Status => failure(401, 'Unauthorized', 'Unauthorized');

export function forbidden(message: string, attrs: RequestAttributes): Status {
  const r = attrs.resource;
  const details = r
    ? { ...(r.name ? { name: r.name } : {}), ...(r.group ? { group: r.group } : {}), kind: r.resource }
    : {};
  return failure(403, 'Forbidden', message, details);
}

export function notFound(resource: string, group: string, name: string): Status {
  const qualified = group ? `${resource}.${group}` : resource;
  return failure(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    ...(group ? { group } : {}),
    kind: resource,
  });
}

export const pageNotFound = (): Status => failure(404, 'NotFound', 'the server could not find the requested resource');
