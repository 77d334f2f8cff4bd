/**
 * The events an endpoint can subscribe to (docs/api.md, "Webhooks"). Each is sent as a
 * Standard Webhooks message `{type, timestamp, data}`; the `data` of each is listed there.
 */
export const WEBHOOK_EVENTS = [
  /** A release went public in a language (first publication, or again after a withdrawal). */
  'story.published',
  /** A published release's title, lead or body changed (a correction or an update). */
  'story.updated',
  /** A reviewer approved a translation (publishing follows). */
  'translation.approved',
  /** An open task passed its due date without being approved. */
  'task.overdue',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent only by an admin's "send a test" on one endpoint, whatever it subscribes to. */
export const TEST_EVENT = 'webhook.test';
export type WebhookMessageType = WebhookEvent | typeof TEST_EVENT;
