import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireRole } from '../../policies/require-role.js';
import {
  EndpointChange,
  EndpointInput,
  createEndpoint,
  deleteEndpoint,
  getDelivery,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  sendTest,
  updateEndpoint,
} from '../../webhooks/manage-webhooks.js';
import { presentDelivery, presentEndpoint } from '../../webhooks/present-webhook.js';
import { apiRoute } from './openapi/api-route.js';

const Tag = 'Webhooks';
const IdParams = z.object({ id: z.string().min(1).max(100) });
const DeliveryParams = IdParams.extend({ delivery: z.string().min(1).max(100) });
const LogQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Webhook endpoints, their delivery logs and redelivery: admins only (docs/api.md, "Webhooks"). */
export function webhooksRouter(ctx: AppContext): Router {
  const router = Router();
  const admin = { tag: Tag, access: 'admin', guards: [requireRole('admin')] };

  apiRoute(
    router,
    'get',
    '/webhooks',
    { ...admin, summary: 'List webhook endpoints', responses: { 200: 'The endpoints' } },
    async (_input, req, res) => {
      res.json({ webhooks: (await listEndpoints(req.user!)).map(presentEndpoint) });
    },
  );

  apiRoute(
    router,
    'post',
    '/webhooks',
    {
      ...admin,
      summary: 'Register an endpoint',
      description:
        'The URL must be public (loopback and private addresses are refused unless WEBHOOK_ALLOW_PRIVATE_URLS=1). The answer carries the signing secret.',
      body: EndpointInput,
      responses: { 201: 'The endpoint, with its secret', 400: 'invalid_webhook_url, private_webhook_url' },
    },
    async ({ body }, req, res) => {
      const endpoint = await createEndpoint(ctx, req.user!, body);
      res
        .status(201)
        .location(`/api/v1/webhooks/${endpoint._id}`)
        .json({ webhook: presentEndpoint(endpoint) });
    },
  );

  apiRoute(
    router,
    'get',
    '/webhooks/:id',
    {
      ...admin,
      summary: 'An endpoint, with its secret',
      params: IdParams,
      responses: { 200: 'The endpoint', 404: 'webhook_not_found' },
    },
    async ({ params }, req, res) => {
      res.json({ webhook: presentEndpoint(await getEndpoint(req.user!, params.id)) });
    },
  );

  apiRoute(
    router,
    'patch',
    '/webhooks/:id',
    {
      ...admin,
      summary: 'Change an endpoint: URL, events, description, disabled; rotate its secret',
      params: IdParams,
      body: EndpointChange,
      responses: { 200: 'The endpoint', 400: 'private_webhook_url', 404: 'webhook_not_found' },
    },
    async ({ params, body }, req, res) => {
      res.json({ webhook: presentEndpoint(await updateEndpoint(ctx, req.user!, params.id, body)) });
    },
  );

  apiRoute(
    router,
    'delete',
    '/webhooks/:id',
    {
      ...admin,
      summary: 'Delete an endpoint and its log',
      params: IdParams,
      responses: { 204: 'Deleted', 404: 'webhook_not_found' },
    },
    async ({ params }, req, res) => {
      await deleteEndpoint(ctx, req.user!, params.id);
      res.status(204).end();
    },
  );

  apiRoute(
    router,
    'post',
    '/webhooks/:id/test',
    {
      ...admin,
      summary: 'Send a webhook.test message to the endpoint',
      params: IdParams,
      responses: { 202: 'Queued; its id is in the log', 404: 'webhook_not_found' },
    },
    async ({ params }, req, res) => {
      res.status(202).json({ delivery: await sendTest(ctx, req.user!, params.id) });
    },
  );

  apiRoute(
    router,
    'get',
    '/webhooks/:id/deliveries',
    {
      ...admin,
      summary: 'The endpoint’s delivery log, newest first',
      params: IdParams,
      query: LogQuery,
      responses: { 200: 'Deliveries with status, attempts and response codes', 404: 'webhook_not_found' },
    },
    async ({ params, query }, req, res) => {
      const deliveries = await listDeliveries(req.user!, params.id, query.limit);
      res.json({ deliveries: deliveries.map((d) => presentDelivery(d, false)) });
    },
  );

  apiRoute(
    router,
    'get',
    '/webhooks/:id/deliveries/:delivery',
    {
      ...admin,
      summary: 'One delivery, with the body sent and every logged attempt',
      params: DeliveryParams,
      responses: { 200: 'The delivery', 404: 'delivery_not_found' },
    },
    async ({ params }, req, res) => {
      res.json({ delivery: presentDelivery(await getDelivery(req.user!, params.id, params.delivery), true) });
    },
  );

  apiRoute(
    router,
    'post',
    '/webhooks/:id/deliveries/:delivery/redeliver',
    {
      ...admin,
      summary: 'Send a finished delivery again (same webhook-id and body)',
      params: DeliveryParams,
      responses: { 202: 'Queued', 404: 'delivery_not_found', 409: 'delivery_in_progress' },
    },
    async ({ params }, req, res) => {
      const delivery = await redeliver(ctx, req.user!, params.id, params.delivery);
      res.status(202).json({ delivery: presentDelivery(delivery, false) });
    },
  );
  return router;
}
