/**
 * One URL path segment. An id of only dots (`.`, `..`) is percent-encoded too, so it
 * names an object instead of addressing its collection or parent.
 */
export function pathSegment(value: string): string {
  return /^\.+$/.test(value) ? value.replace(/\./g, '%2E') : encodeURIComponent(value);
}
