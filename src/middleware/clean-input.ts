import type { RequestHandler } from 'express';
import { badRequest } from '../errors.js';
import { cleanDeep } from '../validation/text.js';

/**
 * The first boundary every request crosses after its body is parsed: control characters are
 * removed from every string of the body and query (so no route, present or future, stores
 * or renders one), and a body or query key that MongoDB would read as an operator
 * (`{"$gt": ""}`) is a 400 `operator_not_allowed` before any route sees it.
 */
export const cleanRequestInput: RequestHandler = (req, _res, next) => {
  const body = cleanDeep(req.body, 'body');
  const query = cleanDeep(req.query, 'query');
  const operatorAt = body.operatorAt ?? query.operatorAt;
  if (operatorAt) {
    throw badRequest('operator_not_allowed', `${operatorAt}: field names starting with '$' are not accepted`);
  }
  if (req.body !== undefined) req.body = body.value;
  // Express 5 computes req.query in a getter; pin the cleaned copy on this request.
  Object.defineProperty(req, 'query', { value: query.value, writable: true, configurable: true });
  next();
};
