/**
 * The kubeconfig MultiCloud hands to the multicloud-k8s plugin for a StarlingX
 * Kubernetes cluster (the plugin's template: cluster wrcpcluster, user admin-user).
 * With the cluster's CA (PEM) it is verified (`certificate-authority-data`); without,
 * it keeps the template's `insecure-skip-tls-verify`.
 */
export function buildKubeconfig(apiServer: string, apiToken: string, caCertPem?: string): Record<string, unknown> {
  const cluster = isPem(caCertPem)
    ? { 'certificate-authority-data': Buffer.from(caCertPem.trim() + '\n').toString('base64'), server: apiServer }
    : { 'insecure-skip-tls-verify': true, server: apiServer };
  return {
    apiVersion: 'v1',
    clusters: [{ cluster, name: 'wrcpcluster' }],
    contexts: [
      {
        context: { cluster: 'wrcpcluster', namespace: 'default', user: 'admin-user' },
        name: 'wrcpcluster-admin',
      },
    ],
    'current-context': 'wrcpcluster-admin',
    kind: 'Config',
    preferences: {},
    users: [{ name: 'admin-user', user: { token: apiToken } }],
  };
}

/**
 * Whether a StarlingX software_version runs Kubernetes: 19.10, 19.12 and every
 * release after them (YY.MM), unless `explicit` lists the versions that do.
 */
export function isKubernetesPlatform(softwareVersion: string | undefined, explicit?: string[]): boolean {
  if (!softwareVersion) return false;
  const version = softwareVersion.trim();
  if (explicit && explicit.length > 0) return explicit.includes(version);
  const match = /^(\d{2})\.(\d{2})(?:\D|$)/.exec(version);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year > 19 || (year === 19 && month >= 10);
}

export function isPem(text: string | undefined): text is string {
  return typeof text === 'string' && /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(text);
}

/** Whether a held kubeconfig is the wanted one (same server, token, CA and template), key order aside. */
export function sameKubeconfig(held: unknown, wanted: unknown): boolean {
  return canonical(held) === canonical(wanted);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
