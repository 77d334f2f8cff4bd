import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import {
  EndpointInput,
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  sendTest,
  updateEndpoint,
} from '../../webhooks/manage-webhooks.js';
import { presentDelivery, presentEndpoint } from '../../webhooks/present-webhook.js';
import { WEBHOOK_EVENTS } from '../../webhooks/webhook-events.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { adminsOnly, refusal } from './admin-pages.js';
import { currentDeskUser } from './desk-user.js';
import { checkedValues } from './form-fields.js';

const EndpointForm = z.object({
  url: z.string().trim().max(2_000).default(''),
  events: checkedValues,
  description: z.string().trim().max(500).default(''),
  disabled: z.string().optional(),
});
/** An id from the path, or 404: a malformed one names nothing (never a 500). */
const pathId = (value: unknown, pattern: RegExp, code: string) => {
  if (typeof value !== 'string' || !pattern.test(value))
    throw notFound(code, `No such item '${String(value)}'`);
  return value;
};
const endpointId = (req: Request) => pathId(req.params.id, /^wh_[A-Za-z0-9_-]{1,40}$/, 'webhook_not_found');
const deliveryIdOf = (req: Request) =>
  pathId(req.params.delivery, /^msg_[A-Za-z0-9_-]{1,40}$/, 'delivery_not_found');

/**
 * Webhook endpoints for admins (`/desk/webhooks`): list and register, and per endpoint its
 * settings, secret, test message, delivery log and redelivery. The same commands as the API.
 */
export function webhooksDeskRoutes(ctx: WebContext): Router {
  const router = Router();
  router.use('/webhooks', adminsOnly);
  const eventChoices = (chosen: string[]) =>
    WEBHOOK_EVENTS.map((e) => ({ value: e, checked: chosen.includes(e) }));

  const listPage = async (req: Request, res: Response, status = 200, error?: string) => {
    const form = req.method === 'POST' ? EndpointForm.safeParse(req.body).data : undefined;
    renderDeskPage(
      ctx,
      req,
      res,
      'webhooks',
      {
        title: deskT(ctx, req)('webhooks:title'),
        error,
        endpoints: (await listEndpoints(currentDeskUser(res)!)).map(presentEndpoint),
        form: { url: form?.url ?? '', description: form?.description ?? '' },
        events: eventChoices(form?.events ?? ['story.published']),
      },
      status,
    );
  };
  router.get('/webhooks', (req, res) => listPage(req, res));
  router.post('/webhooks', async (req, res) => {
    try {
      const f = EndpointForm.parse(req.body);
      const input = EndpointInput.parse({ url: f.url, events: f.events, description: f.description });
      const endpoint = await createEndpoint(ctx, currentDeskUser(res)!, input);
      flash(req, 'ok', deskT(ctx, req)('webhooks:created'));
      res.redirect(303, `/desk/webhooks/${endpoint._id}`);
    } catch (err) {
      const r = refusal(req, ctx, err);
      await listPage(req, res, r.status, r.text);
    }
  });

  const endpointPage = async (req: Request, res: Response, status = 200, error?: string) => {
    const actor = currentDeskUser(res)!;
    const id = endpointId(req);
    const endpoint = presentEndpoint(await getEndpoint(actor, id));
    const deliveries = (await listDeliveries(actor, id, 100)).map((d) => ({
      ...presentDelivery(d, true),
      finished: d.status !== 'pending' && d.status !== 'retrying',
    }));
    renderDeskPage(
      ctx,
      req,
      res,
      'webhook',
      { title: endpoint.url, error, endpoint, events: eventChoices(endpoint.events), deliveries },
      status,
    );
  };
  router.get('/webhooks/:id', (req, res) => endpointPage(req, res));

  /** A POST on an endpoint: run, then back to its page with a notice, or the reason. */
  const onEndpoint =
    (run: (req: Request, res: Response, id: string) => Promise<string>, after?: string) =>
    async (req: Request, res: Response) => {
      let done: string;
      const id = endpointId(req);
      try {
        done = await run(req, res, id);
      } catch (err) {
        const r = refusal(req, ctx, err);
        return endpointPage(req, res, r.status, r.text);
      }
      flash(req, 'ok', deskT(ctx, req)(done));
      res.redirect(303, after ?? `/desk/webhooks/${id}`);
    };

  router.post(
    '/webhooks/:id',
    onEndpoint(async (req, res, id) => {
      const f = EndpointForm.parse(req.body);
      await updateEndpoint(ctx, currentDeskUser(res)!, id, {
        url: f.url,
        events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'choose at least one event').parse(f.events),
        description: f.description,
        disabled: f.disabled === 'on',
      });
      return 'webhooks:saved';
    }),
  );
  router.post(
    '/webhooks/:id/rotate',
    onEndpoint(async (_req, res, id) => {
      await updateEndpoint(ctx, currentDeskUser(res)!, id, { rotateSecret: true });
      return 'webhooks:rotated';
    }),
  );
  router.post(
    '/webhooks/:id/test',
    onEndpoint(async (_req, res, id) => {
      await sendTest(ctx, currentDeskUser(res)!, id);
      return 'webhooks:testQueued';
    }),
  );
  router.post(
    '/webhooks/:id/delete',
    onEndpoint(async (_req, res, id) => {
      await deleteEndpoint(ctx, currentDeskUser(res)!, id);
      return 'webhooks:deleted';
    }, '/desk/webhooks'),
  );
  router.post(
    '/webhooks/:id/deliveries/:delivery/redeliver',
    onEndpoint(async (req, res, id) => {
      await redeliver(ctx, currentDeskUser(res)!, id, deliveryIdOf(req));
      return 'webhooks:redelivered';
    }),
  );
  return router;
}
