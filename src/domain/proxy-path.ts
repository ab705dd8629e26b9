import { InvalidRequestError } from './errors';
import { withoutTrailingSlashes } from './path-segment';

/**
 * The part of a proxied path after `{service-type}/`, as it arrived (still encoded),
 * checked so that appended to an endpoint it stays under that endpoint: no `.` or `..`
 * segment (encoded or not), no encoded `/` or `\`, no `\`, no empty segment (`//`), no
 * scheme (an absolute URL). Anything else is a 400 before any remote call.
 */
export function safeSubPath(raw: string): string {
  if (raw === '') return '';
  if (/[\\]|%2f|%5c|%00|:\/\//i.test(raw)) throw new InvalidRequestError(`the path would leave the service endpoint: ${raw}`);
  const segments = raw.split('/');
  for (const [index, segment] of segments.entries()) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new InvalidRequestError(`the path is not well encoded: ${raw}`);
    }
    const trailingSlash = segment === '' && index === segments.length - 1 && index > 0;
    if ((segment === '' && !trailingSlash) || decoded === '.' || decoded === '..') {
      throw new InvalidRequestError(`the path would leave the service endpoint: ${raw}`);
    }
  }
  return raw;
}

/** A URL rewrite: the real endpoint and the proxy's URL for it. */
export interface UrlRewrite {
  from: string;
  to: string;
}

/** Rewrites, longest real URL first, so a nested endpoint wins over its parent. */
export function orderRewrites(rewrites: UrlRewrite[]): UrlRewrite[] {
  const seen = new Set<string>();
  return rewrites
    .map((r) => ({ from: withoutTrailingSlashes(r.from), to: withoutTrailingSlashes(r.to) }))
    .filter((r) => r.from !== '' && !seen.has(r.from) && seen.add(r.from))
    .sort((a, b) => b.from.length - a.from.length);
}

/** `url` pointed at the proxy when it starts with a real endpoint (at a path boundary). */
export function rewriteUrl(url: string, rewrites: UrlRewrite[]): string {
  for (const { from, to } of rewrites) {
    if (url === from) return to;
    if (url.startsWith(from) && /^[/?#]/.test(url.slice(from.length))) return to + url.slice(from.length);
  }
  return url;
}

/** Every string in a JSON value that starts with a real endpoint, pointed at the proxy. */
export function rewriteJsonUrls(value: unknown, rewrites: UrlRewrite[]): unknown {
  if (typeof value === 'string') return rewriteUrl(value, rewrites);
  if (Array.isArray(value)) return value.map((item) => rewriteJsonUrls(item, rewrites));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewriteJsonUrls(item, rewrites)]));
  }
  return value;
}

/** RFC 9110 hop-by-hop headers, plus those the proxy sets itself. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
]);

/** Headers to pass on: hop-by-hop ones (and those `Connection` names) dropped, `drop` too. */
export function forwardableHeaders(headers: Record<string, string | string[] | undefined>, drop: string[] = []): Record<string, string | string[]> {
  const connection = Object.entries(headers).find(([name]) => name.toLowerCase() === 'connection')?.[1];
  const named = String(connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const skip = new Set([...NOT_FORWARDED, ...named, ...drop.map((name) => name.toLowerCase())]);
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !skip.has(name.toLowerCase())) kept[name.toLowerCase()] = value;
  }
  return kept;
}
