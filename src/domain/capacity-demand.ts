import { InvalidRequestError } from './errors';

/** What the placement optimizer asks capacity_check for. */
export interface CapacityDemand {
  vCPU: number;
  /** MB */
  Memory: number;
  /** GB */
  Storage: number;
  /** Dedicated cores (Placement PCPU); optional, 0 when absent. */
  pCPU?: number;
}

const DEMAND_FIELDS = ['vCPU', 'Memory', 'Storage'] as const;

/**
 * A capacity_check body as the MultiCloud broker relays it from OOF, untyped: each of
 * vCPU, Memory (MB) and Storage (GB) a JSON number or a numeric string, fractions
 * truncated toward zero like the plugin's `int()`. Other keys are ignored. Anything
 * else is an InvalidRequestError naming the first bad field.
 */
export function parseCapacityDemand(body: unknown): CapacityDemand {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('the body must be a JSON object with vCPU, Memory and Storage');
  }
  const fields = body as Record<string, unknown>;
  const demand = {} as CapacityDemand;
  for (const field of DEMAND_FIELDS) {
    demand[field] = demandValue(field, fields[field]);
  }
  if (fields.pCPU !== undefined) demand.pCPU = demandValue('pCPU', fields.pCPU);
  return demand;
}

/** One demand value as a number (truncated toward zero); an InvalidRequestError naming `field` when it is not one. */
export function demandValue(field: string, value: unknown): number {
  if (value === undefined) throw new InvalidRequestError(`${field} is required`);
  let number: number;
  if (typeof value === 'number') {
    number = value;
  } else if (typeof value === 'string' && isNumericString(value)) {
    number = Number(value);
  } else {
    throw new InvalidRequestError(`${field} must be a number or a numeric string, not ${describe(value)}`);
  }
  if (!Number.isFinite(number)) throw new InvalidRequestError(`${field} must be finite`);
  if (number < 0) throw new InvalidRequestError(`${field} must not be negative`);
  return Math.trunc(number);
}

/**
 * Whether a string is a decimal number as OOF templates carry it ("10", " 2.5 ", "1e3",
 * "+3", ".5", "5."): optional blanks, an optional sign, digits with at most one point
 * (at least one digit), an optional exponent, optional blanks. One pass over the string,
 * so a megabyte of digits costs a millisecond (a backtracking regular expression took
 * seconds per 40,000 digits, growing with the square of the length).
 */
export function isNumericString(text: string): boolean {
  const value = text.trim();
  let at = 0;
  if (value[at] === '+' || value[at] === '-') at++;
  const start = at;
  while (isDigit(value, at)) at++;
  let digits = at - start;
  if (value[at] === '.') {
    const fraction = ++at;
    while (isDigit(value, at)) at++;
    digits += at - fraction;
  }
  if (digits === 0) return false;
  if (value[at] === 'e' || value[at] === 'E') {
    at++;
    if (value[at] === '+' || value[at] === '-') at++;
    if (!isDigit(value, at)) return false;
    while (isDigit(value, at)) at++;
  }
  return at === value.length;
}

function isDigit(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= 48 && code <= 57;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
}

/** Nova /limits absolute quota of the session's project. */
export interface ComputeLimits {
  maxTotalCores?: number;
  totalCoresUsed?: number;
  maxTotalRAMSize?: number;
  totalRAMUsed?: number;
}

/** Nova /os-hypervisors/statistics; absent when the account may not read it (403). */
export interface HypervisorStatistics {
  vcpus?: number;
  vcpus_used?: number;
  free_ram_mb?: number;
  free_disk_gb?: number;
}

/** Cinder /limits absolute quota; absent when the cloud has no volume service. */
export interface VolumeLimits {
  maxTotalVolumeGigabytes?: number;
  totalGigabytesUsed?: number;
}

/** What the region's hosts have free, with the zones' allocation ratios (see scheduler-capacity). */
export interface FreeRoom {
  vCPU: number;
  pCPU: number;
  Memory: number;
  Storage: number;
}

export interface Remaining extends FreeRoom {
  /** The cores quota left: Nova counts dedicated (PCPU) and shared (VCPU) cores in the same `cores`. */
  cores: number;
}

/**
 * What the project can still use: its quota left (a negative maximum is OpenStack's
 * "unlimited"), capped by what the hosts have free (undefined: not limited by them).
 */
export function remainingCapacity(compute: ComputeLimits, free: FreeRoom | undefined, volume: VolumeLimits | undefined): Remaining {
  const quotaCores = left(compute.maxTotalCores, compute.totalCoresUsed);
  const quotaRam = left(compute.maxTotalRAMSize, compute.totalRAMUsed);
  const quotaStorage = volume ? left(volume.maxTotalVolumeGigabytes, volume.totalGigabytesUsed) : Infinity;
  return {
    cores: quotaCores,
    vCPU: Math.min(quotaCores, free?.vCPU ?? Infinity),
    pCPU: Math.min(quotaCores, free?.pCPU ?? Infinity),
    Memory: Math.min(quotaRam, free?.Memory ?? Infinity),
    Storage: Math.min(quotaStorage, free?.Storage ?? Infinity),
  };
}

export function fits(demand: CapacityDemand, remaining: Remaining): boolean {
  const pCPU = demand.pCPU ?? 0;
  return (
    demand.vCPU <= remaining.vCPU && pCPU <= remaining.pCPU && demand.vCPU + pCPU <= remaining.cores && demand.Memory <= remaining.Memory && demand.Storage <= remaining.Storage
  );
}

function left(max: number | undefined, used: number | undefined): number {
  if (typeof max !== 'number' || max < 0) return Infinity;
  return max - num(used, 0);
}

function num(value: number | undefined, otherwise: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : otherwise;
}
