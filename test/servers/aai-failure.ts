/** An A&AI error: the HTTP status, A&AI's error code (`ERR.5.4.6131`) and the detail text. */
export class AaiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function notFound(what: string): AaiFailure {
  return new AaiFailure(404, 'ERR.5.4.6114', `Node Not Found:No Node found at: ${what}`);
}

/**
 * The error texts of A&AI's error.properties (aai-common) for the codes the double uses;
 * A&AI writes a failure's message as `{text}:{detail}`.
 */
const ERROR_TEXTS: Record<string, string> = {
  'ERR.5.2.3000': 'Invalid input performing %1 on %2',
  'ERR.5.4.6107': 'Required Edge-property not found in input data',
  'ERR.5.4.6110': 'Node cannot be deleted',
  'ERR.5.4.6111': 'JSON processing error',
  'ERR.5.4.6114': 'Node Not Found',
  'ERR.5.4.6118': 'Required Field not passed.',
  'ERR.5.4.6129': 'Error making edge to target node',
  'ERR.5.4.6130': 'Precondition Required',
  'ERR.5.4.6131': 'Precondition Failed',
  'ERR.5.4.6135': 'Resource version specified on create',
  'ERR.5.4.6147': 'Payload Limit Reached, reduce payload',
};

export function errorText(code: string): string | undefined {
  return ERROR_TEXTS[code];
}

/** `{text}:{detail}` as A&AI words it (the double's own messages may already carry the text). */
export function aaiMessage(code: string, detail: string): string {
  const text = ERROR_TEXTS[code];
  return !text || detail.startsWith(`${text}:`) ? detail : `${text}:${detail}`;
}

/** A&AI's REST error body (`requestError.serviceException`). */
export function errorBody(messageId: string, text: string, variables: string[]): Record<string, unknown> {
  return { requestError: { serviceException: { messageId, text, variables } } };
}
