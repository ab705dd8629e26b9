import { RemoteCallError, RemoteSystem } from '../../application/ports/remote-call.error';

type Json = Record<string, unknown>;

/**
 * What a remote answer (OpenStack's, A&AI's) must look like before any of it becomes
 * data: a 200 with HTML, or without the documented field, is an error naming the call
 * (never an empty list, never "unlimited").
 */
export class AnswerShape {
  constructor(
    readonly system: RemoteSystem,
    /** `GET https://host/path` (no query) */
    readonly call: string,
    readonly body: unknown,
  ) {}

  static of(system: RemoteSystem, url: string, body: unknown, method = 'GET'): AnswerShape {
    return new AnswerShape(system, `${method} ${url.split('?')[0]}`, body);
  }

  /** The body's `key` as an object. */
  object(key: string, from: unknown = this.body): Json {
    const value = this.root(from)[key];
    if (!isObject(value)) throw this.error(`"${key}" is not an object`);
    return value;
  }

  /** The body's `key` as an array of objects. */
  list<T>(key: string, from: unknown = this.body): T[] {
    const value = this.root(from)[key];
    if (!Array.isArray(value) || !value.every(isObject)) throw this.error(`"${key}" is not a list of objects`);
    return value as T[];
  }

  /** `keys` of an object, each a number. */
  numbers(from: Json, keys: string[], where: string): void {
    const missing = keys.filter((key) => typeof from[key] !== 'number' || !Number.isFinite(from[key] as number));
    if (missing.length) throw this.error(`${where} lacks the number(s) ${missing.join(', ')}`);
  }

  /** The body as a JSON object. */
  whole(): Json {
    return this.root(this.body);
  }

  private root(from: unknown): Json {
    if (!isObject(from)) throw this.error(typeof from === 'string' ? 'not JSON' : 'not a JSON object');
    return from;
  }

  error(what: string): RemoteCallError {
    return new RemoteCallError(this.system, this.call, undefined, `malformed answer: ${what}`);
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Items with an id seen before are dropped (a cloud paging badly may repeat them). */
export function withoutDuplicates<T>(items: T[], idOf: (item: T) => unknown): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const id = String(idOf(item));
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
