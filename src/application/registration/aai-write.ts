import { AaiObject, mergeForUpdate } from '../../domain/aai-object';
import { RemoteCallError } from '../ports/remote-call.error';

const ATTEMPTS = 3;

/**
 * An A&AI write: merge what we want over what A&AI holds (`held`, usually read in bulk
 * just before), PUT with its resource-version; when A&AI says the version went stale
 * (412), read the object again and retry, a bounded number of times.
 */
export async function mergeAndPut(
  desired: AaiObject,
  held: AaiObject | undefined,
  read: () => Promise<AaiObject | undefined>,
  put: (body: AaiObject) => Promise<void>,
  createDefaults: AaiObject = {},
): Promise<void> {
  let current = held;
  for (let attempt = 1; ; attempt += 1) {
    const body = current ? mergeForUpdate(current, desired) : { ...createDefaults, ...mergeForUpdate(undefined, desired) };
    try {
      await put(body);
      return;
    } catch (error) {
      if (!RemoteCallError.is(error, 412) || attempt >= ATTEMPTS) throw error;
      current = await read();
    }
  }
}

/**
 * A DELETE with the version we hold (or, without one, the version `read` finds); on
 * 412, once more with the version A&AI holds now. Without `read`, a 412 is reported.
 * A missing object counts as deleted.
 */
export async function deleteWithVersion(
  resourceVersion: string | undefined,
  read: (() => Promise<AaiObject | undefined>) | undefined,
  remove: (resourceVersion: string) => Promise<void>,
): Promise<void> {
  let version = resourceVersion;
  for (let attempt = 1; ; attempt += 1) {
    if (version === undefined) {
      const current = read ? await read() : undefined;
      if (!current) return;
      version = String(current['resource-version'] ?? '');
    }
    try {
      await remove(version);
      return;
    } catch (error) {
      if (!read || !RemoteCallError.is(error, 412) || attempt >= ATTEMPTS) throw error;
      version = undefined;
    }
  }
}
