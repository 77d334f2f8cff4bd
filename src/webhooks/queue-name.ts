/** The BullMQ queue of webhook deliveries: a slow receiver holds up no other kind of job. */
export const WEBHOOK_QUEUE = 'webhooks';
