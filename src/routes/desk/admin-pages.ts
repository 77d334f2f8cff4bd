import type { Request, RequestHandler } from 'express';
import { AppError, forbidden } from '../../errors.js';
import type { WebContext } from '../../web-context.js';
import { deskMessage } from './desk-messages.js';
import { deskT } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import { formProblem } from './story-forms.js';

/** The guard of the admin screens (users, audit, webhooks): 403 for everyone else. */
export const adminsOnly: RequestHandler = (_req, res, next) => {
  if (!currentDeskUser(res)!.roles.includes('admin')) throw forbidden('forbidden_role', 'admins only');
  next();
};

/**
 * A refused admin form as the status and message to show with it, in the desk's language:
 * a command's 4xx or a form that failed its schema. Anything else goes on (500).
 */
export function refusal(req: Request, ctx: WebContext, err: unknown): { status: number; text: string } {
  if (err instanceof AppError && err.status < 500)
    return { status: err.status, text: deskMessage(deskT(ctx, req), err) };
  if (err && typeof err === 'object' && 'issues' in err)
    return { status: 400, text: formProblem(err as never) };
  throw err;
}
