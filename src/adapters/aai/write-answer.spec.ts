import { checkBulkAnswer, checkWriteAnswer } from './write-answer';

const BULK = 'POST http://aai:8443/aai/v16/bulk/single-transaction';
const PUT = 'PUT http://aai:8443/aai/v16/cloud-infrastructure/pservers/pserver/h1';
const entry = (status: unknown) => ({ action: 'put', uri: '/cloud-infrastructure/pservers/pserver/h1', 'response-status-code': status, 'response-body': null });

function bulkError(operations: number, status: number, data: unknown, contentType = 'application/json'): string | undefined {
  try {
    checkBulkAnswer(BULK, operations, { status, data, contentType });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function writeError(status: number, data: unknown, contentType?: string): string | undefined {
  try {
    checkWriteAnswer(PUT, { status, data, contentType });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the shape of A&AI write answers', () => {
  it('takes a bulk answer with one numeric 2xx status per operation', () => {
    expect(bulkError(2, 201, { 'operation-responses': [entry(201), entry(204)] })).toBeUndefined();
    expect(bulkError(1, 200, { 'operation-responses': [entry(200)] })).toBeUndefined();
  });

  it.each([
    ['an HTML page', '<html>login</html>', 'text/html', 'not JSON'],
    ['JSON that does not parse', '{"operation-responses": [', 'application/json', 'not JSON'],
    ['a list', [entry(201)], 'application/json', 'not a JSON object'],
    ['nothing', undefined, undefined, 'not a JSON object'],
    ['no operation-responses', { operations: [] }, 'application/json', 'no "operation-responses" list'],
    ['operation-responses not a list', { 'operation-responses': {} }, 'application/json', 'no "operation-responses" list'],
    ['fewer responses', { 'operation-responses': [entry(201)] }, 'application/json', '1 operation responses for 2 operations'],
    ['more responses', { 'operation-responses': [entry(201), entry(201), entry(201)] }, 'application/json', '3 operation responses for 2 operations'],
    ['an entry without a status', { 'operation-responses': [entry(201), { action: 'put' }] }, 'application/json', 'operation response 1 has no numeric "response-status-code"'],
    ['a status as text', { 'operation-responses': [entry('201'), entry(201)] }, 'application/json', 'operation response 0 has no numeric "response-status-code"'],
    ['an entry that is not an object', { 'operation-responses': [entry(201), 201] }, 'application/json', 'operation response 1 has no numeric "response-status-code"'],
    ['a failed operation in a success', { 'operation-responses': [entry(201), entry(404)] }, 'application/json', 'operation response 1 says 404 in a 201 answer'],
  ])('refuses a 201 bulk answer with %s, naming the call', (_, data, type, what) => {
    expect(bulkError(2, 201, data, type)).toBe(`A&AI ${BULK} failed: malformed answer: ${what}`);
  });

  it('takes an empty or JSON single-write answer, and anything but success as it is', () => {
    expect(writeError(201, undefined)).toBeUndefined();
    expect(writeError(204, undefined, 'application/json')).toBeUndefined();
    expect(writeError(200, { 'resource-version': '1' }, 'application/json')).toBeUndefined();
    expect(writeError(200, 'ok', 'text/plain')).toBeUndefined();
    expect(writeError(404, '<html>not here</html>', 'text/html')).toBeUndefined();
  });

  it('refuses a single-write success whose body claims JSON but does not parse, or is an HTML page', () => {
    expect(writeError(201, '{"resource-version": ', 'application/json;charset=UTF-8')).toBe(`A&AI ${PUT} failed: malformed answer: not JSON`);
    expect(writeError(200, '<html>login</html>', 'text/html; charset=utf-8')).toBe(`A&AI ${PUT} failed: malformed answer: an HTML page`);
  });
});
