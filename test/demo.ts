/**
 * npm run demo: starts the test doubles (A&AI, a StarlingX cloud, the multicloud-k8s
 * plugin) and the service, registers a sample region, and prints what landed in A&AI.
 * `npm run demo -- --keep` leaves everything running for curl (Ctrl-C to stop).
 */
import 'reflect-metadata';

import { Logger } from '@nestjs/common';

import { createHttpApp } from '../src/adapters/http/http-app';
import { AaiDouble } from './servers/aai.server';
import { K8sPluginDouble } from './servers/k8s-plugin.server';
import { OpenStackDouble } from './servers/openstack.server';
import { PREFIX, REGIONS, onboardRegion } from './support/regions';

type Json = Record<string, any>;

const OWNER = 'CloudOwner';
const REGION = 'RegionOne';

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const aai = new AaiDouble({ version: 'v13' });
  const cloud = new OpenStackDouble();
  const k8s = new K8sPluginDouble();
  await Promise.all([aai.start(), cloud.start(), k8s.start()]);
  cloud.region('RegionOne').isystem = { ...cloud.region('RegionOne').isystem, software_version: '19.12', system_mode: 'simplex', system_type: 'All-in-one' };
  onboardRegion(aai, cloud, {
    owner: OWNER,
    region: REGION,
    extraInfo: { 'openstack-region-id': 'RegionOne', 'k8s-apiserver': 'https://10.10.10.10:6443', 'k8s-apitoken': 'demo-k8s-token' },
  });

  Object.assign(process.env, {
    AAI_SERVICE_URL: aai.serviceUrl,
    AAI_SCHEMA_VERSION: 'v13',
    MSB_ADDR: '127.0.0.1',
    MSB_PORT: String(k8s.port),
    // One log line per request only when kept running for curl.
    LOG_LEVEL: process.env.LOG_LEVEL ?? (keep ? 'info' : 'warn'),
  });
  const { AppModule } = await import('../src/app.module');
  const app = await createHttpApp(AppModule, { logger: keep ? undefined : ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.DEMO_PORT ?? 0), '127.0.0.1');
  const service = await app.getUrl();

  line(`A&AI double       ${aai.serviceUrl}/v13`);
  line(`StarlingX double  ${cloud.keystoneV3} (Keystone), region RegionOne`);
  line(`k8s plugin double ${k8s.url}/api/multicloud-k8s/v1/v1/connectivity-info (as MSB)`);
  line(`service           ${service}`);
  const registry = `${service}${PREFIX}/v1/${OWNER}/${REGION}/registry`;
  line(`\n$ curl -X POST ${registry}`);
  const posted = await fetch(registry, { method: 'POST' });
  line(`HTTP ${posted.status}`);
  let status: Json = {};
  for (let i = 0; i < 400; i += 1) {
    status = (await (await fetch(registry)).json()) as Json;
    if (status.state !== 'in-progress') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  line(`\n$ curl ${registry}`);
  line(JSON.stringify(status, null, 2));

  const region = aai.get(`${REGIONS}/${OWNER}/${REGION}`) as Json;
  line('\nWhat landed in A&AI:');
  line(`cloud-region ${OWNER}/${REGION}`);
  line(`  identity-url      ${region['identity-url']}`);
  line(`  cloud-epa-caps    ${region['cloud-epa-caps']}`);
  line(`  cloud-extra-info  ${region['cloud-extra-info']}`);
  for (const [wrapper, item, key, name] of [
    ['tenants', 'tenant', 'tenant-id', 'tenant-name'],
    ['flavors', 'flavor', 'flavor-id', 'flavor-name'],
    ['images', 'image', 'image-id', 'image-name'],
    ['availability-zones', 'availability-zone', 'availability-zone-name', 'operational-status'],
  ]) {
    const list: Json[] = region[wrapper]?.[item] ?? [];
    line(`  ${wrapper} (${list.length})`);
    for (const entry of list) {
      const capabilities: Json[] = entry['hpa-capabilities']?.['hpa-capability'] ?? [];
      line(`    ${entry[key]}  ${entry[name]}${capabilities.length ? `  hpa: ${capabilities.map((c) => c['hpa-feature']).join(', ')}` : ''}`);
    }
  }
  const medium = (region.flavors?.flavor ?? []).find((f: Json) => f['flavor-name'] === 'onap.hpa.medium');
  if (medium) {
    line('  onap.hpa.medium hpa-capabilities:');
    for (const capability of medium['hpa-capabilities']['hpa-capability']) {
      const attributes = (capability['hpa-feature-attributes'] ?? []).map((a: Json) => `${a['hpa-attribute-key']}=${a['hpa-attribute-value']}`);
      line(`    ${capability['hpa-feature']} (${capability.architecture}) ${attributes.join(' ')}`);
    }
  }
  for (const hostname of aai.pserverNames()) {
    const pserver = aai.pserver(hostname) as Json;
    const related = (pserver['relationship-list']?.relationship ?? []).map((r: Json) => `${r['related-to']} ${r['related-link']}`);
    line(`pserver ${hostname}\n    ${related.join('\n    ')}`);
  }
  const connectivity = k8s.records.get(REGION);
  if (connectivity) {
    line(`\nmulticloud-k8s connectivity-info for ${REGION}: metadata ${JSON.stringify(connectivity.metadata)}`);
    line(connectivity.kubeconfig.replace(/token: .*/, 'token: <redacted>').replace(/^/gm, '    '));
  }
  const capacity = await fetch(`${service}${PREFIX}/v1/${OWNER}/${REGION}/capacity_check`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ vCPU: 2, Memory: 2048, Storage: 20 }),
  });
  line(`\n$ curl -X POST ${service}${PREFIX}/v1/${OWNER}/${REGION}/capacity_check -d '{"vCPU":2,"Memory":2048,"Storage":20}'`);
  line(JSON.stringify(await capacity.json(), null, 2));

  if (keep) {
    line('\nEverything keeps running: try the curl commands above. Ctrl-C to stop.');
    return;
  }
  await app.close();
  await Promise.all([aai.close(), cloud.close(), k8s.close()]);
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

main().catch((error: Error) => {
  Logger.error(error.stack ?? error.message, 'demo');
  process.exit(1);
});
