import request from 'supertest';

import { PREFIX, onboardRegion, waitForJob } from '../support/regions';
import { Doubles, TestApp, serveSuite } from '../support/start-app';

type Json = Record<string, any>;

const AAI_PASSWORD = 'aai"pa\\ss/w@rd%&x';
const ESR_PASSWORD = 'os"se\\cret/p@ss%&word';
const K8S_TOKEN = 'k8s"to\\ken/@%&tail';
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F]/;

/** Every form a secret could take in a text: as written, JSON-escaped, URL-encoded, form-encoded. */
function formsOf(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])];
}

/** SPEC 11: one redaction for every log line, status and error body. */
describe('secrets with "\\/@%& in them never show, in any form', () => {
  let doubles: Doubles;
  let service: TestApp;
  serveSuite((started) => ({ doubles, service } = started), {
    aai: { password: AAI_PASSWORD },
    env: { AAI_PASSWORD: AAI_PASSWORD, HTTP_RETRIES: '0' },
  });
  const bodies: unknown[] = [];
  const basic = Buffer.from(`AAI:${AAI_PASSWORD}`).toString('base64');

  it('registers, fails, and answers capacity_check without leaking one', async () => {
    doubles.openstack.cloud.users[0].password = ESR_PASSWORD;
    const isystem = doubles.openstack.region('RegionOne').isystem;
    doubles.openstack.region('RegionOne').isystem = { ...isystem, software_version: '21.12' };
    onboardRegion(doubles.aai, doubles.openstack, {
      owner: 'CloudOwner',
      region: 'RegionOne',
      password: ESR_PASSWORD,
      extraInfo: { 'openstack-region-id': 'RegionOne', 'k8s-apiserver': 'https://10.0.0.2:6443', 'k8s-apitoken': K8S_TOKEN },
    });
    const path = `${PREFIX}/v1/CloudOwner/RegionOne/registry`;
    // The k8s plugin quotes the kubeconfig (and its token) in its error.
    doubles.k8s.failWith = 500;
    doubles.k8s.echoUploadInError = true;
    await request(service.http).post(path).expect(202);
    bodies.push(await waitForJob(service.http, path));
    expect(bodies[0]).toMatchObject({ code: 0 });

    // Remote errors that quote every secret, in every form, with control characters.
    const token = String(doubles.openstack.requests.find((r) => r.headers['x-auth-token'])!.headers['x-auth-token']);
    const quoted = [token, ESR_PASSWORD, AAI_PASSWORD, basic, K8S_TOKEN].flatMap(formsOf).join(' | ');
    const fault = { status: 500, body: { computeFault: { code: 500, message: `\u001b[31mbad ${quoted}\r\nforged line\u0000` } } };
    doubles.openstack.failNext('GET', /flavors\/detail$/, fault);
    await request(service.http).post(path).expect(202);
    bodies.push(await waitForJob(service.http, path));
    expect(bodies[1]).toMatchObject({ state: 'failed' });
    // Masked, and the escape, the line break and the NUL gone from the remote text.
    expect((bodies[1] as Json).status).toMatch(/answered 500: \[31mbad \*\*\*( \| \*\*\*)+ forged line(;|$)/);

    doubles.openstack.failNext('GET', /\/limits$/, fault);
    const check = await request(service.http).post(`${PREFIX}/v1/CloudOwner/RegionOne/capacity_check`).send({ vCPU: 1, Memory: 1, Storage: 1 });
    expect(check.status).toBe(500);
    bodies.push(check.body);

    doubles.aai.failNext('DELETE', /.*/, {
      status: 500,
      body: { requestError: { serviceException: { messageId: 'SVC3002', variables: ['DELETE', 'x', `Authorization: Basic ${basic} ${quoted}`, 'ERR'] } } },
    });
    await request(service.http).delete(path).expect(204);
    bodies.push(await waitForJob(service.http, path));

    const texts = [...service.logs.lines, ...bodies.map((body) => JSON.stringify(body))];
    expect(texts.length).toBeGreaterThan(10);
    for (const secret of [AAI_PASSWORD, basic, ESR_PASSWORD, K8S_TOKEN, token]) {
      for (const form of formsOf(secret)) {
        expect(texts.filter((text) => text.includes(form) || text.includes(JSON.stringify(form).slice(1, -1)))).toEqual([]);
      }
    }
    expect(texts.filter((text) => CONTROLS.test(text))).toEqual([]);
    expect(service.logs.lines.filter((line) => line.includes('forged line') && line.includes('\n'))).toEqual([]);
  });
});
