import { AnswerShape, isObject } from '../outbound/answer-shape';

/** What came back for a write: its status, the body as decoded (JSON, else its text), its content type. */
export interface WriteAnswer {
  status: number;
  data: unknown;
  contentType?: string;
}

/**
 * A successful bulk/single-transaction answer (200/201) must be A&AI's documented
 * shape: JSON `{"operation-responses": [...]}` with one entry per operation sent,
 * each with a numeric 2xx `response-status-code`. Anything else (an HTML page, a
 * wrong shape, a wrong count) is an error naming the call: the transaction's outcome
 * is unknown, never read as success.
 */
export function checkBulkAnswer(call: string, operations: number, answer: WriteAnswer): void {
  const shape = new AnswerShape('A&AI', call, answer.data);
  const malformed = (what: string) => shape.error(what);
  const responses = shape.whole()['operation-responses'];
  if (!Array.isArray(responses)) throw malformed('no "operation-responses" list');
  if (responses.length !== operations) throw malformed(`${responses.length} operation responses for ${operations} operations`);
  responses.forEach((entry, i) => {
    const status = isObject(entry) ? entry['response-status-code'] : undefined;
    if (typeof status !== 'number' || !Number.isFinite(status)) throw malformed(`operation response ${i} has no numeric "response-status-code"`);
    if (status < 200 || status >= 300) throw malformed(`operation response ${i} says ${status} in a ${answer.status} answer`);
  });
}

/**
 * A successful single PUT/DELETE answers no body (A&AI's 200/201/204), or JSON. A body
 * that claims JSON but does not parse, or an HTML page, is an error naming the call.
 */
export function checkWriteAnswer(call: string, answer: WriteAnswer): void {
  if (answer.status < 200 || answer.status >= 300 || typeof answer.data !== 'string') return;
  const type = (answer.contentType ?? '').toLowerCase();
  const what = type.includes('json') ? 'not JSON' : type.includes('html') ? 'an HTML page' : undefined;
  if (what) throw new AnswerShape('A&AI', call, answer.data).error(what);
}
