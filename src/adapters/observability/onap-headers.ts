import { randomUUID } from 'node:crypto';

import type { Request } from 'express';

/** This service's name in ONAP: the X-ONAP-PartnerName of its calls and the TargetEntity of its requests. */
export const SERVICE_NAME = 'multicloud-starlingx';

/** An inbound value is taken as is only if it is a plain token (it goes into every log line). */
const PLAIN_TOKEN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The first of these headers that holds a plain token. */
export function plainHeader(request: Request, names: string[]): string | undefined {
  for (const name of names) {
    const raw = request.headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && PLAIN_TOKEN.test(value)) return value;
  }
  return undefined;
}

/** The ONAP headers of one outbound call: the request id it is made for, a fresh invocation id, this service's name. */
export function outboundHeaders(requestId: string | undefined, invocationId = randomUUID()): Record<string, string> {
  return {
    ...(requestId ? { 'X-ONAP-RequestID': requestId } : {}),
    'X-InvocationID': invocationId,
    'X-ONAP-PartnerName': SERVICE_NAME,
  };
}
