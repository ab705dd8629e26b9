/**
 * The service's environment (SPEC section 2, plus the tuning knobs documented in the
 * README), checked once at start-up: a bad value stops the service with a message
 * naming the variable.
 */
export type Env = Record<string, string | undefined>;

export class EnvError extends Error {
  constructor(problems: string[]) {
    super(`Invalid environment: ${problems.join('; ')}`);
    this.name = 'EnvError';
  }
}

export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  text(name: string, fallback: string): string;
  text(name: string): string | undefined;
  text(name: string, fallback?: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? fallback : value.trim();
  }

  /** A variable that may be unset (the fallback) but not set to blank. */
  nonEmpty(name: string, fallback: string): string {
    const value = this.env[name];
    if (value !== undefined && value.trim() === '') {
      this.problems.push(`${name} is set but empty (unset it for the default, or give a value)`);
    }
    return this.text(name, fallback);
  }

  /** A host name or address, no scheme, port or path (`MSB_ADDR=http://x` would give `http://http://x`). */
  host(name: string, fallback: string, schemeVariable?: string): string {
    const value = this.text(name, fallback);
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)$/i.test(value)) {
      const hint = schemeVariable ? `; the scheme goes in ${schemeVariable}` : '';
      this.problems.push(`${name} must be a host name or address without scheme, port or path${hint}, got "${withoutCredentials(value)}"`);
      return fallback;
    }
    return value;
  }

  int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.optionalInt(name, min, max);
    return value ?? fallback;
  }

  optionalInt(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return undefined;
    }
    return value;
  }

  number(name: string, fallback: number, min = 0): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) {
      this.problems.push(`${name} must be a number of at least ${min}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = raw.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  url(name: string, fallback?: string, protocols = ['http:', 'https:']): string | undefined {
    const raw = this.text(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return raw.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL, got "${withoutCredentials(raw)}"`);
      return fallback;
    }
  }

  oneOf(name: string, fallback: string, pattern: RegExp, expected: string): string {
    const raw = this.text(name, fallback);
    if (!pattern.test(raw)) {
      this.problems.push(`${name} must be ${expected}, got "${raw}"`);
      return fallback;
    }
    return raw;
  }

  list(name: string): string[] {
    return (this.text(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  check(): void {
    if (this.problems.length) throw new EnvError(this.problems);
  }
}

/** A URL as it may be shown: `scheme://user:password@host` loses its user and password. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@');
}
