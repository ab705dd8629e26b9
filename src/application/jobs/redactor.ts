import { Injectable } from '@nestjs/common';

const MASK = '***';
/**
 * Shorter secrets are not masked: they cannot be told from ordinary words (A&AI's
 * default password "AAI" would mask "not found in AAI"), and are no secret anyway.
 */
const MIN_LENGTH = 4;
/** Secrets this short are masked only as whole words, so "AAI" does not mangle other text. */
const SHORT = 6;
/** How many secrets of each kind are remembered (REDACT_MAX_TOKENS, REDACT_MAX_CREDENTIALS). */
export interface RedactorLimits {
  /** Keystone tokens: they come and go, the least recently seen is forgotten first. */
  tokens: number;
  /** Credentials read from A&AI (esr passwords, k8s tokens): the least recently seen forgotten first. */
  credentials: number;
}
export const DEFAULT_REDACTOR_LIMITS: RedactorLimits = { tokens: 2000, credentials: 10_000 };
/** C0 controls and DEL, except tab and newline (ours; remote text loses those too, see `line`). */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/**
 * The one redaction of the service: every log line, job status and error body goes
 * through it. It knows the secrets the service handles (A&AI password and its basic-auth
 * base64, esr passwords, Keystone tokens, k8s tokens) and masks each as written,
 * JSON-escaped and URL-encoded; it strips control characters. Objects are redacted
 * string by string, so a numeric password never rewrites numbers.
 */
@Injectable()
export class Redactor {
  /** Every written form of every secret, longest first (so no form masks part of a longer one). */
  private forms: Form[] = [];
  /** Configured secrets (the A&AI password and its basic auth): never forgotten. */
  private readonly pinned = new Map<string, Form[]>();
  /** Each pool: its secrets with their forms, least recently seen first. */
  private readonly credentials = new Map<string, Form[]>();
  private readonly tokens = new Map<string, Form[]>();
  private changed = false;

  constructor(private readonly limits: RedactorLimits = DEFAULT_REDACTOR_LIMITS) {}

  /** The service's own configured secrets: masked for the life of the process, whatever else is added. */
  pin(...secrets: Array<string | undefined | null>): void {
    for (const secret of secrets) {
      if (!maskable(secret) || this.pinned.has(secret)) continue;
      this.pinned.set(secret, formsOf(secret));
      this.credentials.delete(secret);
      this.tokens.delete(secret);
      this.changed = true;
    }
  }

  /** Credentials read from A&AI (esr passwords, k8s tokens); seeing one again keeps it longer. */
  add(...secrets: Array<string | undefined | null>): void {
    for (const secret of secrets) this.remember(this.credentials, this.limits.credentials, secret);
  }

  /** Keystone tokens, which come and go: they never push out a credential. */
  addToken(...secrets: Array<string | undefined | null>): void {
    for (const secret of secrets) this.remember(this.tokens, this.limits.tokens, secret);
  }

  private remember(pool: Map<string, Form[]>, limit: number, secret: string | undefined | null): void {
    if (!maskable(secret) || this.pinned.has(secret)) return;
    const forms = pool.get(secret);
    if (forms) {
      // Moved to the most recently seen end; the set of forms is unchanged.
      pool.delete(secret);
      pool.set(secret, forms);
      return;
    }
    if (pool !== this.credentials && this.credentials.has(secret)) return;
    pool.set(secret, formsOf(secret));
    if (pool === this.credentials) this.tokens.delete(secret);
    while (pool.size > limit) pool.delete(pool.keys().next().value!);
    this.changed = true;
  }

  /** A text with every secret masked and control characters stripped. */
  text(text: string): string {
    if (this.changed) this.sortForms();
    let clean = text.replace(CONTROLS, '');
    for (const { form, word } of this.forms) {
      if (!clean.includes(form)) continue;
      clean = word ? clean.replace(word, MASK) : clean.split(form).join(MASK);
    }
    return clean;
  }

  private sortForms(): void {
    const unique = new Map<string, Form>();
    for (const pool of [this.pinned, this.credentials, this.tokens]) {
      for (const forms of pool.values()) for (const form of forms) unique.set(form.form, form);
    }
    this.forms = [...unique.values()].sort((a, b) => b.form.length - a.form.length);
    this.changed = false;
  }

  /** One log line: also without line breaks. */
  line(text: string): string {
    return this.text(text).replace(/[\r\n]+\s*/g, ' ');
  }

  /** A JSON-like value with each string redacted (keys and numbers left alone). */
  value<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.value(item)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.value(item)])) as T;
    }
    return value;
  }
}

function maskable(secret: string | undefined | null): secret is string {
  return typeof secret === 'string' && secret.length >= MIN_LENGTH;
}

interface Form {
  form: string;
  /** Short forms are masked as whole words only. */
  word?: RegExp;
}

/** A secret as written, JSON-escaped, URL-encoded and form-encoded; each computed once, when added. */
function formsOf(secret: string): Form[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  return [...forms].map((form) =>
    form.length < SHORT ? { form, word: new RegExp(`(?<![A-Za-z0-9])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g') } : { form },
  );
}
