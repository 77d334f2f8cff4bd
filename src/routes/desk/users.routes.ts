import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { listAudit } from '../../audit/audit-log.js';
import {
  addUser,
  createPasswordLink,
  editUser,
  issueToken,
  listTokens,
  listUsers,
  type UserEdit,
  NewPassword,
  passwordLinkOwner,
  requireUser,
  revokeToken,
  setUserDisabled,
  usePasswordLink,
} from '../../commands/manage-users.js';
import { AppError } from '../../errors.js';
import { AUDIT_ACTIONS } from '../../models/audit-entry.js';
import { ROLES } from '../../models/user.js';
import type { WebContext } from '../../web-context.js';
import { deskMessage } from './desk-messages.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { adminsOnly, refusal } from './admin-pages.js';
import { currentDeskUser } from './desk-user.js';
import { checkedValues, separatedList } from './form-fields.js';

const UserForm = z.object({
  name: z.string().trim().min(1).max(200),
  roles: checkedValues,
  pairs: separatedList(/[\s,]+/),
});
const NewUserForm = UserForm.extend({ email: z.string().trim().max(320) });
const ListQuery = z.object({
  role: z.enum(ROLES).optional().catch(undefined),
  status: z.enum(['active', 'disabled']).optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
});
const AuditQuery = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  actor: z.string().max(320).optional().catch(undefined),
  before: z
    .string()
    .regex(/^[0-9a-z]{10}-[0-9a-f]{10}$/)
    .optional()
    .catch(undefined),
});

/**
 * Administration for admins: `/desk/users` (list with filters, add, edit roles and pairs,
 * disable / re-enable, one-time password links, API tokens) and `/desk/audit`. The one-time
 * password page `/desk/password/:secret` is for the person the link was made for.
 */
export function usersRoutes(ctx: WebContext): Router {
  const router = Router();
  const pairChoices = ctx.config.languages.flatMap((from) =>
    ctx.config.languages.filter((to) => to !== from).map((to) => `${from}:${to}`),
  );
  router.use(['/users', '/audit'], adminsOnly);

  router.get('/users', async (req, res) => {
    const q = ListQuery.parse(req.query);
    const users = await listUsers(q);
    renderDeskPage(ctx, req, res, 'users', {
      title: deskT(ctx, req)('admin:users.title'),
      users,
      filter: q,
      roles: ROLES.map((r) => ({ value: r, current: r === q.role })),
    });
  });

  const newForm = (req: Request, res: Response, status = 200, error?: string) =>
    renderDeskPage(
      ctx,
      req,
      res,
      'user-new',
      {
        title: deskT(ctx, req)('admin:users.add'),
        error,
        form: req.method === 'POST' ? req.body : {},
        roles: ROLES.map((r) => ({ value: r, checked: [req.body?.roles ?? []].flat().includes(r) })),
        pairHint: pairChoices.slice(0, 3).join(', '),
      },
      status,
    );
  router.get('/users/new', (req, res) => newForm(req, res));
  router.post('/users', async (req, res) => {
    try {
      const f = NewUserForm.parse(req.body);
      const { user, link } = await addUser(ctx, currentDeskUser(res)!, f);
      req.session.shownOnce = { kind: 'link', value: link };
      flash(req, 'ok', deskT(ctx, req)('admin:users.added'));
      res.redirect(303, `/desk/users/${encodeURIComponent(user._id)}`);
    } catch (err) {
      const r = refusal(req, ctx, err);
      newForm(req, res, r.status, r.text);
    }
  });

  const userPage = async (req: Request, res: Response, status = 200, error?: string) => {
    const user = await requireUser(String(req.params.id));
    const shownOnce = req.session.shownOnce;
    if (shownOnce) delete req.session.shownOnce;
    renderDeskPage(
      ctx,
      req,
      res,
      'user',
      {
        title: user.name,
        error,
        account: {
          id: user._id,
          email: user.email,
          name: req.method === 'POST' && req.body?.name !== undefined ? req.body.name : user.name,
          disabled: !!user.disabled,
          pairs: (user.pairs ?? []).join(', '),
          self: user._id === currentDeskUser(res)!.id,
          createdAt: user.createdAt,
        },
        roles: ROLES.map((r) => ({ value: r, checked: (user.roles ?? []).includes(r) })),
        tokens: await listTokens(user._id),
        shownOnce,
      },
      status,
    );
  };
  router.get('/users/:id', (req, res) => userPage(req, res));

  /** A POST on a user: run, then back to the user's page with a notice, or the reason. */
  const onUser =
    (run: (req: Request, res: Response) => Promise<string>) => async (req: Request, res: Response) => {
      let done: string;
      try {
        done = await run(req, res);
      } catch (err) {
        const r = refusal(req, ctx, err);
        return userPage(req, res, r.status, r.text);
      }
      flash(req, 'ok', deskT(ctx, req)(done));
      res.redirect(303, `/desk/users/${encodeURIComponent(String(req.params.id))}`);
    };

  router.post(
    '/users/:id',
    onUser(async (req, res) => {
      const f = UserForm.parse(req.body);
      await editUser(ctx, currentDeskUser(res)!, String(req.params.id), f as UserEdit);
      return 'admin:users.saved';
    }),
  );
  router.post(
    '/users/:id/disable',
    onUser(async (req, res) => {
      await setUserDisabled(ctx, currentDeskUser(res)!, String(req.params.id), true);
      return 'admin:users.disabledOk';
    }),
  );
  router.post(
    '/users/:id/enable',
    onUser(async (req, res) => {
      await setUserDisabled(ctx, currentDeskUser(res)!, String(req.params.id), false);
      return 'admin:users.enabledOk';
    }),
  );
  router.post(
    '/users/:id/password-link',
    onUser(async (req, res) => {
      const link = await createPasswordLink(ctx, currentDeskUser(res)!, String(req.params.id));
      req.session.shownOnce = { kind: 'link', value: link };
      return 'admin:users.linkMade';
    }),
  );
  router.post(
    '/users/:id/tokens',
    onUser(async (req, res) => {
      const token = await issueToken(ctx, currentDeskUser(res)!, String(req.params.id));
      req.session.shownOnce = { kind: 'token', value: token };
      return 'admin:users.tokenIssued';
    }),
  );
  router.post(
    '/users/:id/tokens/revoke',
    onUser(async (req, res) => {
      const prefix = z
        .string()
        .regex(/^nrt_[A-Za-z0-9_-]{6}$/)
        .parse(req.body?.prefix);
      await revokeToken(ctx, currentDeskUser(res)!, String(req.params.id), prefix);
      return 'admin:users.tokenRevoked';
    }),
  );

  router.get('/audit', async (req, res) => {
    const q = AuditQuery.parse(req.query);
    const { entries, next } = await listAudit({ ...q, limit: 50 });
    const params = new URLSearchParams();
    if (q.action) params.set('action', q.action);
    if (q.actor) params.set('actor', q.actor);
    if (next) params.set('before', next);
    renderDeskPage(ctx, req, res, 'audit', {
      title: deskT(ctx, req)('admin:audit.title'),
      entries,
      filter: q,
      actions: AUDIT_ACTIONS.map((a) => ({ value: a, current: a === q.action })),
      nextHref: next ? `/desk/audit?${params}` : undefined,
    });
  });

  return router;
}

/**
 * The one-time password page, reachable signed out: the link's secret in the path is the
 * credential (one use, 24 hours). Setting the password ends every older session.
 */
export function passwordLinkRoutes(ctx: WebContext): Router {
  const router = Router();
  const page = async (req: Request, res: Response, status = 200, error?: string) => {
    const user = await passwordLinkOwner(String(req.params.secret));
    const t = deskT(ctx, req);
    if (!user) {
      return renderDeskPage(
        ctx,
        req,
        res,
        'error',
        {
          title: t('admin:password.expiredTitle'),
          message: t('admin:password.expired'),
          status: 410,
          code: 'link_expired',
        },
        410,
      );
    }
    renderDeskPage(
      ctx,
      req,
      res,
      'password',
      { title: t('admin:password.title'), error, email: user.email },
      status,
    );
  };
  router.get('/password/:secret', (req, res) => page(req, res));
  router.post('/password/:secret', async (req, res) => {
    const t = deskT(ctx, req);
    const password = String(req.body?.password ?? '');
    if (password !== String(req.body?.confirm ?? ''))
      return page(req, res, 400, t('admin:password.mismatch'));
    if (!NewPassword.safeParse(password).success) return page(req, res, 400, t('admin:password.tooShort'));
    try {
      await usePasswordLink(ctx, String(req.params.secret), password);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return page(req, res, err.status, deskMessage(t, err));
      throw err;
    }
    flash(req, 'ok', t('admin:password.set'));
    res.redirect(303, '/desk/login');
  });
  return router;
}
