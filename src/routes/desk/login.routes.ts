import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../../lib/passwords.js';
import { destroySession, regenerateSession, SESSION_COOKIE } from '../../middleware/session.js';
import { recordAudit } from '../../audit/audit-log.js';
import { User } from '../../models/user.js';
import type { WebContext } from '../../web-context.js';
import { deskLanguage, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import { accountBackoff, signInLimiters } from './sign-in-limiter.js';

const SignInForm = z.object({
  email: z.string().trim().toLowerCase().min(1).max(320),
  password: z.string().min(1).max(200),
  next: z.string().max(2000).optional(),
});

/** Only a path inside the desk: `next` must never send a user to another site. */
export const safeNext = (next: string | undefined) =>
  next && /^\/desk(\/|$|\?)/.test(next) && !next.includes('\\') ? next : '/desk/';

/** Sign-in and sign-out. Sign-in regenerates the session (no fixation) and is rate-limited. */
export function loginRoutes(ctx: WebContext): Router {
  const router = Router();
  // A hash to verify against when the e-mail is unknown, so both cases take as long.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword('not-a-real-password-0123456789'));

  const t = (req: Request, key: string) => ctx.i18n.t(key, { lng: deskLanguage(ctx, req) });
  const CODES: Record<number, string> = {
    400: 'invalid_form',
    401: 'wrong_credentials',
    429: 'too_many_attempts',
  };
  const form = (req: Request, res: Response, status: number, error?: string, email = '') =>
    renderDeskPage(
      ctx,
      req,
      res,
      'login',
      {
        title: t(req, 'desk:login.title'),
        error,
        code: CODES[status],
        email,
        next: typeof req.query.next === 'string' ? req.query.next : (req.body?.next ?? ''),
      },
      status,
    );

  router.get('/login', (req, res) => {
    if (currentDeskUser(res)) {
      res.redirect(303, safeNext(req.query.next as string | undefined));
      return;
    }
    // No session is stored for an anonymous visitor: the form's CSRF token is bound to the
    // anonymous identity and its own cookie (see csrf.ts), so a crawler creates no Redis keys.
    form(req, res, 200);
  });

  const backoff = accountBackoff(ctx);
  const limited = (req: Request, res: Response) =>
    form(req, res, 429, t(req, 'desk:login.tooMany'), String(req.body?.email ?? ''));
  router.post('/login', ...signInLimiters(ctx, limited), async (req, res) => {
    const parsed = SignInForm.safeParse(req.body);
    if (!parsed.success) {
      form(req, res, 400, t(req, 'desk:login.missing'), String(req.body?.email ?? ''));
      return;
    }
    const { email, password, next } = parsed.data;
    const waitMs = await backoff.waitMs(email);
    if (waitMs > 0) {
      res.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
      limited(req, res);
      return;
    }
    const user = await User.findById(email).lean();
    const ok = user
      ? await verifyPassword(user.passwordHash, password)
      : (await verifyPassword(await dummy(), password), false);
    if (!user || !ok || user.disabled) {
      ctx.log.info({ email, ip: req.ip }, 'desk sign-in failed');
      await backoff.failed(email);
      await recordAudit(ctx, { action: 'auth.sign-in-failed', actor: email, ip: req.ip });
      form(req, res, 401, t(req, 'desk:login.wrong'), email);
      return;
    }
    await backoff.succeeded(email);
    const deskLangChoice = req.session.deskLang;
    await regenerateSession(req);
    req.session.userId = user._id;
    req.session.userEpoch = user.sessionEpoch ?? 0;
    if (deskLangChoice) req.session.deskLang = deskLangChoice;
    ctx.log.info({ userId: user._id }, 'desk sign-in');
    await recordAudit(ctx, { action: 'auth.sign-in', actor: user._id, ip: req.ip });
    res.redirect(303, safeNext(next));
  });

  router.post('/logout', async (req, res) => {
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/desk/login');
  });

  return router;
}
