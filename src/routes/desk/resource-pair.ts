import type { Request, Response } from 'express';
import type { Config } from '../../config.js';
import { authorisePairResource } from '../../policies/resource-policy.js';
import { currentDeskUser } from './desk-user.js';

/**
 * The `:pair` of a desk screen on language resources (TM, termbase), once the signed-in user
 * may curate it: the same guard as the API's (`authorisePairResource`).
 */
export const pairToCurate = (config: Config) => (req: Request, res: Response) =>
  authorisePairResource(currentDeskUser(res)!, config, String(req.params.pair), 'curate');
