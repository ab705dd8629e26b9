import { Reply } from './http-double';

/**
 * What the A&AI double answers to writes instead of A&AI's own answer (a proxy or a
 * broken A&AI in front of the real one):
 * - `html`: 200 with an HTML page (a login or maintenance page), nothing written;
 * - `bad-json`: the write done, its 2xx answer a JSON content type with a body cut short;
 * - `no-operation-responses`: the transaction done, 201 `{}`;
 * - `fewer-responses`: the transaction done, 201 with its last operation response missing;
 * - `no-status-code`: the transaction done, 201 with entries lacking `response-status-code`.
 * The last three concern bulk answers only; single writes answer as A&AI does.
 */
export type WriteGarbage = 'html' | 'bad-json' | 'no-operation-responses' | 'fewer-responses' | 'no-status-code';

export const HTML_PAGE: Reply = { status: 200, body: '<html><body>Please sign in</body></html>', headers: { 'Content-Type': 'text/html' } };
// A 204 has no body: the cut-short JSON comes with a 200.
const CUT_SHORT = (status: number): Reply => ({
  status: status === 204 ? 200 : status,
  body: '{"operation-responses": [{"action": "put", ',
  headers: { 'Content-Type': 'application/json' },
});

/** `reply` (A&AI's answer to a write that was done) as `garbage` turns it; failures pass unchanged. */
export function garbled(reply: Reply, garbage: WriteGarbage, bulk: boolean): Reply {
  if (reply.status < 200 || reply.status >= 300) return reply;
  if (garbage === 'bad-json') return CUT_SHORT(reply.status);
  if (!bulk) return reply;
  const responses = ((reply.body as Record<string, unknown> | undefined)?.['operation-responses'] ?? []) as Array<Record<string, unknown>>;
  switch (garbage) {
    case 'no-operation-responses':
      return { status: reply.status, body: {} };
    case 'fewer-responses':
      return { status: reply.status, body: { 'operation-responses': responses.slice(0, -1) } };
    case 'no-status-code':
      return { status: reply.status, body: { 'operation-responses': responses.map(({ 'response-status-code': _dropped, ...rest }) => rest) } };
    default:
      return reply;
  }
}
