import type { RequestHandler, Response } from 'express';

/**
 * Every 4xx/5xx answer names its stable error code in this header, HTML pages included (JSON
 * answers also carry it in `error.code`), so scripts and the hostile-request suite can branch
 * on it without parsing pages.
 */
export const ERROR_CODE_HEADER = 'X-Error-Code';

const BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The code for a status when nothing more specific is known. */
export const codeForStatus = (status: number) =>
  BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');

/** Sets the error code header unless a more specific one is already set. */
export function setErrorCode(res: Response, code: string): void {
  if (!res.headersSent && !res.getHeader(ERROR_CODE_HEADER)) res.setHeader(ERROR_CODE_HEADER, code);
}

/**
 * For routers we do not write (Bull Board): an error status without a code gets the generic
 * code of its status just before the headers go out.
 */
export const defaultErrorCode: RequestHandler = (_req, res, next) => {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
  res.writeHead = ((...args: unknown[]) => {
    const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
    if (status >= 400 && !res.getHeader(ERROR_CODE_HEADER))
      res.setHeader(ERROR_CODE_HEADER, codeForStatus(status));
    return writeHead(...args);
  }) as Response['writeHead'];
  next();
};
