import type { Config } from '../config.js';
import { checkCallbackUrl, type UrlCheckNames } from '../websub/callback-guard.js';

/** How SSRF refusals of a webhook URL read (same classifier as WebSub callbacks). */
export const WEBHOOK_URL_NAMES: UrlCheckNames = {
  field: 'url',
  invalidCode: 'invalid_webhook_url',
  privateCode: 'private_webhook_url',
  allowFlag: 'WEBHOOK_ALLOW_PRIVATE_URLS',
};

/** Checks an endpoint URL before it is stored: http(s), no credentials, public unless allowed. */
export const checkWebhookUrl = (config: Config, raw: string) =>
  checkCallbackUrl(raw, config.WEBHOOK_ALLOW_PRIVATE_URLS, WEBHOOK_URL_NAMES);
