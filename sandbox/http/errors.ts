/**
 * The error a sandbox handler throws to answer with a GHL-style error body: the request handler
 * (http/request-handler.ts) turns it into the response, any other error into a 500.
 */
export class HttpError extends Error {
  constructor(
    public status: number,
    public body: Record<string, unknown>,
  ) {
    super(typeof body['message'] === 'string' ? body['message'] : `HTTP ${status}`);
  }
}

export function unprocessable(messages: string[]): HttpError {
  return new HttpError(422, { statusCode: 422, message: messages, error: 'Unprocessable Entity' });
}

export function badRequest(message: string, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(400, { statusCode: 400, message, ...extra });
}
