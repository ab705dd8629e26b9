/** `cloud-extra-info` of an A&AI cloud region: a JSON string written by the operator (ESR). */
export type CloudExtraInfo = Record<string, unknown>;

/** Parses tolerantly: junk, a non-object or nothing gives an empty object. */
export function parseCloudExtraInfo(raw: unknown): CloudExtraInfo {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    return { ...(raw as CloudExtraInfo) };
  }
  if (typeof raw !== 'string' || raw.trim() === '') {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as CloudExtraInfo) : {};
  } catch {
    return {};
  }
}

export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

export function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false');
}

export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') {
    return value.trim();
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return undefined;
}

/** cloud-extra-info `openstack-region-id`: the operator's choice of main region. */
export function openstackRegionIdIn(info: CloudExtraInfo): string | undefined {
  return textOf(info['openstack-region-id']);
}

export function multiRegionDiscovery(info: CloudExtraInfo): boolean {
  return isTrue(info['multi-region-discovery']);
}

export function capacityAuditorEnabled(info: CloudExtraInfo): boolean {
  return !isFalse(info['capacity_auditor_enabled']);
}

export function k8sApiToken(info: CloudExtraInfo): string | undefined {
  return textOf(info['k8s-apitoken']);
}

export function k8sApiServer(info: CloudExtraInfo): string | undefined {
  return textOf(info['k8s-apiserver']);
}

/** PEM of the CA that signs the Kubernetes API server's certificate. */
export function k8sApiCaCert(info: CloudExtraInfo): string | undefined {
  return textOf(info['k8s-apiserver-cacert']);
}

/** `isystem.software_version`, as the registration wrote it from sysinv. */
export function softwareVersion(info: CloudExtraInfo): string | undefined {
  const isystem = info['isystem'];
  return isystem && typeof isystem === 'object' ? textOf((isystem as Record<string, unknown>)['software_version']) : undefined;
}
