/**
 * Whether a proxied answer is an API document whose URLs the proxy points back at
 * itself, rather than data a user downloads, whose bytes it never changes: Swift
 * objects (`object-store`) and Glance image data (`…/file`) are data, whatever their
 * content type; so is an answer in a content encoding (gzip…).
 */
export function isApiDocument(serviceType: string, path: string, contentType: string, contentEncoding: string | undefined): boolean {
  if (serviceType === 'object-store' || contentEncoding) return false;
  if (serviceType === 'image' && /(^|\/)file\/?$/.test(path.split('?')[0])) return false;
  return /[/+]json\b/i.test(contentType);
}
