import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listenHttp, type RequestHandler } from '../../src/sandbox/listen.js';

function get(port: number, path: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
}

describe('the error boundary around every request', () => {
  const handler: RequestHandler = async (req, res) => {
    if (req.url === '/throws') throw new Error('boom');
    if (req.url === '/throws-mid-answer') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('half');
      await Promise.resolve();
      throw new Error('boom after the headers');
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  };

  it('turns a rejection into a 500 for that request and keeps serving', async () => {
    const listener = await listenHttp(handler);
    try {
      expect(await get(listener.port, '/throws')).toEqual({ status: 500, body: 'sandbox internal error: boom\n' });
      // Once the answer has begun, the connection is cut: the client sees a broken answer, not a clean one.
      expect(await get(listener.port, '/throws-mid-answer')).toHaveProperty('error');
      expect(await get(listener.port, '/')).toEqual({ status: 200, body: 'ok' });
    } finally {
      await listener.close();
    }
  });

  it('catches a handler that throws before it returns a promise', async () => {
    const listener = await listenHttp(() => {
      throw new Error('thrown synchronously');
    });
    try {
      expect(await get(listener.port, '/')).toEqual({
        status: 500,
        body: 'sandbox internal error: thrown synchronously\n',
      });
      expect(await get(listener.port, '/')).toMatchObject({ status: 500 });
    } finally {
      await listener.close();
    }
  });
});
