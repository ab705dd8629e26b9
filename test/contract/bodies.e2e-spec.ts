import { AddressInfo, connect } from 'node:net';

import request from 'supertest';

import { PREFIX } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

const CHECK = `${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`;

/** A body the service cannot read keeps its 4xx and costs one log line, no stack trace. */
describe('request bodies that cannot be read', () => {
  let service: TestApp;
  serveSuite((started: { doubles: Doubles; service: TestApp }) => ({ service } = started));

  const logSince = (from: number) => service.logs.lines.slice(from);

  it('413 for a body over the limit', async () => {
    const from = service.logs.lines.length;
    const answer = await request(service.http)
      .post(CHECK)
      .set('Content-Type', 'application/json')
      .send(`{"vCPU":1,"pad":"${'x'.repeat(1_200_000)}"}`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 413, body: { result: false, error: 'the body could not be read: request entity too large' } });
    expect(logSince(from)).toEqual([
      expect.stringMatching(/^WARN POST \/api\/multicloud-starlingx\/v1\/CloudOwner\/RegionOne\/capacity_check: body not read \(413: request entity too large\)/),
    ]);
  });

  it('415 for a body in an encoding or charset the service does not read', async () => {
    const from = service.logs.lines.length;
    const encoded = await request(service.http).post(CHECK).set('Content-Type', 'application/json').set('Content-Encoding', 'x-squash').send('{}');
    expect({ status: encoded.status, body: encoded.body }).toEqual({
      status: 415,
      body: { result: false, error: 'the body could not be read: unsupported content encoding "x-squash"' },
    });
    const charset = await request(service.http).post(CHECK).set('Content-Type', 'application/json; charset=ebcdic').send('{}');
    expect({ status: charset.status, body: charset.body }).toEqual({ status: 415, body: { result: false, error: 'the body could not be read: unsupported charset "EBCDIC"' } });
    expect(logSince(from)).toHaveLength(2);
    expect(logSince(from).every((line) => line.startsWith('WARN ') && !line.includes('\n'))).toBe(true);
  });

  it('400 for a body cut off before its Content-Length', async () => {
    const from = service.logs.lines.length;
    const server = service.http.listening ? service.http : service.http.listen(0, '127.0.0.1');
    await new Promise((resolve) => (server.listening ? resolve(undefined) : server.once('listening', resolve)));
    const port = (server.address() as AddressInfo).port;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST ${CHECK} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"vCPU":`);
        socket.end();
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    server.close();
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(logSince(from)).toEqual([expect.stringMatching(/^WARN POST .*capacity_check: body not read \(400: request aborted\)/)]);
  });
});
