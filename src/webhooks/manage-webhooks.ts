import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.js';
import type { AppContext } from '../context.js';
import { conflict, notFound } from '../errors.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { deliveryId, enqueueDelivery, queueWebhookEvent } from './fan-out.js';
import { newWebhookSecret } from './signature.js';
import { WebhookDelivery, type WebhookDeliveryDoc } from './webhook-delivery.model.js';
import { WebhookEndpoint, type WebhookEndpointDoc } from './webhook-endpoint.model.js';
import { TEST_EVENT, WEBHOOK_EVENTS } from './webhook-events.js';
import { checkWebhookUrl } from './webhook-url.js';

/** What an admin sends to register an endpoint (API and desk alike). */
export const EndpointInput = z.object({
  url: z.string().trim().min(1).max(2_000),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'choose at least one event').max(WEBHOOK_EVENTS.length),
  description: z.string().trim().max(500).default(''),
});
export type EndpointInput = z.infer<typeof EndpointInput>;

export const EndpointChange = z.object({
  url: z.string().trim().min(1).max(2_000).optional(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).optional(),
  description: z.string().trim().max(500).optional(),
  disabled: z.boolean().optional(),
  /** True: a new secret replaces the old one at once. */
  rotateSecret: z.boolean().optional(),
});
export type EndpointChange = z.infer<typeof EndpointChange>;

const admin = (actor: Actor) => assertRole(actor, 'admin');

export async function requireEndpoint(id: string): Promise<WebhookEndpointDoc> {
  const endpoint = await WebhookEndpoint.findById(id).lean<WebhookEndpointDoc>();
  if (!endpoint) throw notFound('webhook_not_found', `No webhook endpoint '${id}'`);
  return endpoint;
}

export async function listEndpoints(actor: Actor): Promise<WebhookEndpointDoc[]> {
  admin(actor);
  const all = await WebhookEndpoint.find().lean<WebhookEndpointDoc[]>();
  return all.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function getEndpoint(actor: Actor, id: string): Promise<WebhookEndpointDoc> {
  admin(actor);
  return requireEndpoint(id);
}

/** Registers an endpoint: its URL passes the SSRF guard, and a signing secret is made for it. */
export async function createEndpoint(
  ctx: AppContext,
  actor: Actor,
  input: EndpointInput,
): Promise<WebhookEndpointDoc> {
  admin(actor);
  const url = await checkWebhookUrl(ctx.config, input.url);
  const doc = await WebhookEndpoint.create({
    _id: `wh_${randomBytes(9).toString('base64url')}`,
    url: url.href,
    events: [...new Set(input.events)],
    description: input.description,
    secret: newWebhookSecret(),
    createdBy: actor.id,
  });
  await recordAudit(ctx, { action: 'webhook.create', actor: actor.id, target: doc._id, detail: url.href });
  return doc.toObject() as WebhookEndpointDoc;
}

export async function updateEndpoint(
  ctx: AppContext,
  actor: Actor,
  id: string,
  change: EndpointChange,
): Promise<WebhookEndpointDoc> {
  admin(actor);
  await requireEndpoint(id);
  const set: Record<string, unknown> = {};
  if (change.url !== undefined) set.url = (await checkWebhookUrl(ctx.config, change.url)).href;
  if (change.events) set.events = [...new Set(change.events)];
  if (change.description !== undefined) set.description = change.description;
  if (change.disabled !== undefined) set.disabled = change.disabled;
  if (change.rotateSecret) set.secret = newWebhookSecret();
  await WebhookEndpoint.updateOne({ _id: id }, { $set: set });
  const detail = Object.keys(set)
    .map((k) => (k === 'secret' ? 'secret rotated' : k === 'url' ? `url ${String(set.url)}` : k))
    .join(', ');
  await recordAudit(ctx, { action: 'webhook.update', actor: actor.id, target: id, detail });
  return requireEndpoint(id);
}

/** Deletes an endpoint and its log; its pending retries find no endpoint and stop. */
export async function deleteEndpoint(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  admin(actor);
  const endpoint = await requireEndpoint(id);
  await WebhookEndpoint.deleteOne({ _id: id });
  await WebhookDelivery.deleteMany({ endpoint: id });
  await recordAudit(ctx, { action: 'webhook.delete', actor: actor.id, target: id, detail: endpoint.url });
}

/** An endpoint's delivery log, newest first (bounded by `WEBHOOK_LOG_SIZE`). */
export async function listDeliveries(actor: Actor, id: string, limit = 50): Promise<WebhookDeliveryDoc[]> {
  admin(actor);
  await requireEndpoint(id);
  return WebhookDelivery.find({ endpoint: id })
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit)
    .lean<WebhookDeliveryDoc[]>();
}

export async function getDelivery(actor: Actor, id: string, messageId: string): Promise<WebhookDeliveryDoc> {
  admin(actor);
  const delivery = await WebhookDelivery.findById(messageId).lean<WebhookDeliveryDoc>();
  if (!delivery || delivery.endpoint !== id)
    throw notFound('delivery_not_found', `No delivery '${messageId}' for endpoint '${id}'`);
  return delivery;
}

/**
 * Sends a finished delivery again (same message id and body, a fresh signature and
 * timestamp), with a full set of retries. Refused while it is still being tried.
 */
export async function redeliver(
  ctx: AppContext,
  actor: Actor,
  id: string,
  messageId: string,
): Promise<WebhookDeliveryDoc> {
  const delivery = await getDelivery(actor, id, messageId);
  if (delivery.status === 'pending' || delivery.status === 'retrying') {
    throw conflict('delivery_in_progress', 'This delivery is still being tried; wait for it to end');
  }
  const round = (delivery.redeliveries ?? 0) + 1;
  await WebhookDelivery.updateOne(
    { _id: messageId },
    { $set: { status: 'pending', redeliveries: round, lastError: null } },
  );
  await enqueueDelivery(ctx, messageId, round);
  await recordAudit(ctx, { action: 'webhook.redeliver', actor: actor.id, target: messageId, detail: id });
  return { ...delivery, status: 'pending', redeliveries: round };
}

/** Queues a `webhook.test` message to one endpoint, so an admin can check the receiver. */
export async function sendTest(ctx: AppContext, actor: Actor, id: string): Promise<string> {
  admin(actor);
  const endpoint = await requireEndpoint(id);
  const eventId = `webhook.test:${randomBytes(9).toString('hex')}`;
  await queueWebhookEvent(
    ctx,
    eventId,
    TEST_EVENT,
    async () => ({ endpoint: endpoint._id, message: 'A test message from the newsroom desk' }),
    endpoint,
  );
  return deliveryId(eventId, endpoint._id);
}
