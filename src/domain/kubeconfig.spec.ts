import { buildKubeconfig, isKubernetesPlatform } from './kubeconfig';

describe('isKubernetesPlatform', () => {
  it.each([
    ['19.10', true],
    ['19.12', true],
    ['20.06', true],
    ['24.09', true],
    ['25.09.100', true],
    ['19.01', false],
    ['18.10', false],
    ['Golden Gate 14.08 3.4.103', false],
    [undefined, false],
  ])('%s → %s', (version, expected) => {
    expect(isKubernetesPlatform(version)).toBe(expected);
  });

  it('follows an explicit list when one is configured', () => {
    expect(isKubernetesPlatform('19.12', ['19.10'])).toBe(false);
    expect(isKubernetesPlatform('18.03', ['18.03'])).toBe(true);
  });
});

describe('buildKubeconfig', () => {
  it('is the plugin template with the server and the token', () => {
    expect(buildKubeconfig('https://10.0.0.1:6443', 'tok')).toEqual({
      apiVersion: 'v1',
      clusters: [{ cluster: { 'insecure-skip-tls-verify': true, server: 'https://10.0.0.1:6443' }, name: 'wrcpcluster' }],
      contexts: [{ context: { cluster: 'wrcpcluster', namespace: 'default', user: 'admin-user' }, name: 'wrcpcluster-admin' }],
      'current-context': 'wrcpcluster-admin',
      kind: 'Config',
      preferences: {},
      users: [{ name: 'admin-user', user: { token: 'tok' } }],
    });
  });

  it("names the cluster's CA instead of skipping verification when one is given", () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect((buildKubeconfig('https://10.0.0.1:6443', 'tok', pem).clusters as unknown[])[0]).toEqual({
      cluster: { 'certificate-authority-data': Buffer.from(`${pem}\n`).toString('base64'), server: 'https://10.0.0.1:6443' },
      name: 'wrcpcluster',
    });
    expect((buildKubeconfig('https://10.0.0.1:6443', 'tok', 'not a pem').clusters as any[])[0].cluster['insecure-skip-tls-verify']).toBe(true);
  });
});
