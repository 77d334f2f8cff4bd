import type { WebhookDeliveryDoc } from './webhook-delivery.model.js';
import type { WebhookEndpointDoc } from './webhook-endpoint.model.js';

/** An endpoint as admins see it (API and desk): the secret included, they verify with it. */
export const presentEndpoint = (e: WebhookEndpointDoc) => ({
  id: e._id,
  url: e.url,
  events: e.events,
  description: e.description ?? '',
  disabled: !!e.disabled,
  secret: e.secret,
  createdBy: e.createdBy,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

/** A delivery of the log; `full` adds the body and the logged attempts. */
export const presentDelivery = (d: WebhookDeliveryDoc, full: boolean) => ({
  id: d._id,
  type: d.type,
  status: d.status,
  attempts: d.attempts ?? 0,
  lastStatusCode: d.lastStatusCode ?? null,
  lastError: d.lastError ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  deliveredAt: d.deliveredAt ?? null,
  redeliveries: d.redeliveries ?? 0,
  ...(full ? { body: d.body, log: d.log ?? [] } : {}),
});
