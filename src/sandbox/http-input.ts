import type { IncomingMessage } from 'node:http';

/**
 * Body caps, checked before anything is buffered. kube-apiserver refuses bodies over 3 MiB
 * (`MaxRequestBodyBytes`, `413 RequestEntityTooLarge: limit is 3145728`); a ConfigMap itself
 * holds at most 1 MiB, so the cap leaves room for a whole object around one. No AWS call the
 * sandbox serves sends more than a few KiB (the largest, an AssumeRole session policy, is 2,048
 * characters): 1 MiB is far beyond any of them.
 */
export const BODY_LIMIT = { kube: 3 * 1024 * 1024, aws: 1024 * 1024 } as const;

/** The body is larger than the cap: answer 413. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`limit is ${limit}`);
  }
}

/** The client went away before its body arrived: there is nobody left to answer. */
export class ClientGone extends Error {
  constructor() {
    super('client disconnected before the request body ended');
  }
}

/**
 * Reads the whole body, refusing it (BodyTooLarge) as soon as Content-Length, or the bytes that
 * arrived, pass `limit`. What follows the cap is read and dropped, so the 413 still reaches a
 * client that keeps sending.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] | undefined = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (!chunks) return;
      size += chunk.length;
      if (size > limit) {
        chunks = undefined;
        reject(new BodyTooLarge(limit));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks ?? [])));
    req.on('error', () => reject(new ClientGone()));
    req.on('close', () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

/** A request target split into what it asks for, still percent-encoded. */
export interface RequestTarget {
  rawPath: string;
  /** Without the `?`. */
  rawQuery: string;
}

/**
 * The origin form (`/path?query`) as sent; the absolute form (`http://host/path`, which HTTP/1.1
 * servers must accept) reduced to its path and query. Anything else (`*`, `x`) is undefined: a
 * 400. `//x:99999/` is a path here, as Go's servers read it, not an authority.
 */
export function requestTarget(url: string | undefined): RequestTarget | undefined {
  const target = url ?? '/';
  if (target.startsWith('/')) {
    const q = target.indexOf('?');
    return q === -1
      ? { rawPath: target, rawQuery: '' }
      : { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
  }
  if (!/^https?:\/\//i.test(target)) return undefined;
  let absolute: URL;
  try {
    absolute = new URL(target);
  } catch {
    return undefined;
  }
  return { rawPath: absolute.pathname, rawQuery: absolute.search.replace(/^\?/, '') };
}

/** Percent-decodes each path segment; a segment that is not valid percent-encoding stays as sent. */
export function decodePathSegments(rawPath: string): string[] {
  return rawPath.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
}
