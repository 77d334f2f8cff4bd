/**
 * An error a client may see. `code` is stable (clients branch on it, never on the message);
 * `status` is the HTTP status; `details` carries per-field or per-segment context.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);

/** True for MongoDB's duplicate-key error (E11000), the one atomic compare-and-set both stores offer. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
