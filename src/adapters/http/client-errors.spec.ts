import { createServer, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';

import { answerClientErrors } from './client-errors';

/** Sends raw bytes and reads until the server closes: the whole answer, or the socket error. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.end(bytes);
  });
}

describe('answerClientErrors', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('ok'));
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers headers past the size limit with a 431 and {"error"}, read to the end (no reset)', async () => {
    const answer = await exchange(port, `GET /x HTTP/1.1\r\nHost: a\r\nX-Auth-Token: ${'t'.repeat(40_000)}\r\n\r\n`);
    const body = JSON.stringify({ error: 'Request Header Fields Too Large: the request could not be read (HPE_HEADER_OVERFLOW)' });
    expect(answer).toBe(`HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  });

  it('answers a HEAD without a body, and bytes that are not HTTP with a 400', async () => {
    expect(await exchange(port, `HEAD /x HTTP/1.1\r\nHost: a\r\nX: ${'y'.repeat(40_000)}\r\n\r\n`)).toBe(
      'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    );
    expect(await exchange(port, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\{"error":"Bad Request: the request could not be read \(HPE_[A-Z_]+\)"\}$/,
    );
  });
});
