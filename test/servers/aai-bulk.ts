import { AaiFailure, aaiMessage, errorBody, errorText } from './aai-failure';
import { Reply, SeenRequest, decodePath } from './http-double';

export type BulkAction = 'put' | 'patch' | 'delete';

/** How A&AI's BulkSingleTransactionConsumer maps an action and uri to a request. */
export type BulkMethod = 'PUT' | 'MERGE_PATCH' | 'DELETE' | 'PUT_EDGE' | 'DELETE_EDGE';

export interface BulkOperation {
  index: number;
  action: BulkAction;
  /** As the client sent it; the answer echoes it. */
  uri: string;
  /** Below `/aai/{version}`, without the query. */
  path: string;
  query: URLSearchParams;
  method: BulkMethod;
  body: Record<string, unknown>;
}

/** What the A&AI double does for one transaction. */
export interface BulkExecutor {
  /** What A&AI checks of every operation before it runs any: the uri's shape, the body against the schema. */
  check(operation: BulkOperation): void;
  /** Runs one operation with the rules of the equivalent single call; answers its status. */
  run(operation: BulkOperation): number;
  begin(): void;
  commit(): void;
  /** Undoes every change since `begin`. */
  rollback(): void;
}

/** One operation of a bulk request as the double saw it. */
export interface BulkRecord {
  /** 0 for the first bulk request that passed the payload checks (shape, limit), 1 for the next, … */
  transaction: number;
  index: number;
  action: string;
  uri: string;
  body: unknown;
  /** The operation's own status; undefined when the request failed before it ran. */
  status?: number;
  /** True when its transaction was committed. */
  committed: boolean;
}

const ACTIONS = new Set(['put', 'patch', 'delete']);
const SVC3000 = 'Invalid input performing %1 on %2 (msg=%3) (ec=%4)';
const SVC3001 = 'Resource not found for %1 using id %2 (msg=%3) (ec=%4)';

/**
 * `POST /aai/{version}/bulk/single-transaction` as A&AI's BulkSingleTransactionConsumer
 * (onap/aai-resources) answers it: the payload and the operation limit checked first
 * (400), then every operation's uri and body (400 `Error with operation i: …`), then the
 * operations run in order in one transaction; any failure rolls all of them back and the
 * answer carries the first failed operation's status and a text naming `Operation i`.
 * Success: 201 with one `operation-responses` entry per operation.
 */
export function singleTransaction(request: SeenRequest, limit: number, executor: BulkExecutor, records: BulkRecord[]): Reply {
  const transaction = new Set(records.map((r) => r.transaction)).size;
  const failed = (status: number, code: string, detail: string): Reply => ({
    status,
    body: errorBody(status === 404 ? 'SVC3001' : 'SVC3000', status === 404 ? SVC3001 : SVC3000, ['POST', request.path, aaiMessage(code, detail), code]),
  });
  const payload = request.body as { operations?: unknown } | undefined;
  const operations = payload && typeof payload === 'object' && !Array.isArray(payload) ? payload.operations : undefined;
  if (
    !payload ||
    typeof payload !== 'object' ||
    Array.isArray(payload) ||
    (operations !== undefined && operations !== null && !Array.isArray(operations)) ||
    (Array.isArray(operations) && operations.some((o) => !isObject(o) || (o.body !== undefined && o.body !== null && !isObject(o.body))))
  ) {
    return failed(400, 'ERR.5.4.6111', 'Input payload does not follow bulk/single-transaction interface');
  }
  if (!Array.isArray(operations) || operations.length === 0) return failed(400, 'ERR.5.4.6118', ' Payload has no objects to operate on');
  if (operations.length > limit) return failed(400, 'ERR.5.4.6147', ` Allowed limit = ${limit}`);
  const given = operations as Array<Record<string, unknown>>;
  const log = given.map((o, index): BulkRecord => ({ transaction, index, action: String(o.action), uri: String(o.uri), body: o.body, committed: false }));
  records.push(...log);

  const missing: string[] = [];
  given.forEach((o, i) => {
    if (typeof o.action !== 'string' || o.action === '') missing.push(`Operation ${i} missing 'action'`);
    else if (!ACTIONS.has(o.action)) missing.push(`Operation ${i} has invalid action '${o.action}'`);
    if (typeof o.uri !== 'string' || o.uri === '') missing.push(`Operation ${i} missing 'uri'`);
    if (o.body === undefined || o.body === null) missing.push(`Operation ${i} missing 'body'`);
  });
  if (missing.length) return failed(400, 'ERR.5.4.6111', `input payload missing required properties. [${missing.join(', ')}]`);

  const parsed = given.map((o, index) => parse(index, o.action as BulkAction, o.uri as string, o.body as Record<string, unknown>));
  for (const operation of parsed) {
    try {
      executor.check(operation);
    } catch (error) {
      if (!(error instanceof AaiFailure)) throw error;
      return failed(error.status, error.code, `Error with operation ${operation.index}: ${detailOf(error)}`);
    }
  }

  executor.begin();
  const statuses: number[] = [];
  for (const operation of parsed) {
    try {
      statuses.push(executor.run(operation));
      log[operation.index].status = statuses[operation.index];
    } catch (error) {
      executor.rollback();
      if (!(error instanceof AaiFailure)) throw error;
      log[operation.index].status = error.status;
      const text =
        `Operation ${operation.index} with action (${operation.method}) on uri (${operation.path}) failed with status code ` +
        `(${error.status}), error code (${error.code}) and msg (${aaiMessage(error.code, error.message)})`;
      return { status: error.status, body: errorBody('SVC3000', SVC3000, ['POST', request.path, aaiMessage('ERR.5.2.3000', text), 'ERR.5.2.3000']) };
    }
  }
  executor.commit();
  for (const record of log) record.committed = true;
  return {
    status: 201,
    body: {
      'operation-responses': parsed.map((operation, i) => ({
        action: operation.action,
        uri: operation.uri,
        'response-status-code': statuses[i],
        'response-body': null,
      })),
    },
  };
}

function parse(index: number, action: BulkAction, uri: string, body: Record<string, unknown>): BulkOperation {
  // A&AI strips its base path and version ("/aai/v16") and accepts a uri without the leading "/".
  const url = new URL((uri.startsWith('/') ? uri : `/${uri}`).replace(/^\/aai\/v\d+(?=\/)/, ''), 'http://aai');
  const path = decodePath(url.pathname);
  const edge = path.endsWith('/relationship-list/relationship');
  const method: BulkMethod = action === 'patch' ? 'MERGE_PATCH' : action === 'put' ? (edge ? 'PUT_EDGE' : 'PUT') : edge ? 'DELETE_EDGE' : 'DELETE';
  return { index, action, uri, path, query: url.searchParams, method, body };
}

/** The message without the error text in front: A&AI puts "Error with operation i: " before the detail. */
function detailOf(error: AaiFailure): string {
  const text = errorText(error.code);
  return text && error.message.startsWith(`${text}:`) ? error.message.slice(text.length + 1) : error.message;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
