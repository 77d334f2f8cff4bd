import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest } from '../errors.js';
import { parseFeedTopic } from '../feeds/feed-target.js';
import { checkCallbackUrl } from './callback-guard.js';
import { syndicationQueues } from './syndication-queues.js';
import { websubVerifyJob } from './websub-verify.job.js';

/** The form a subscriber POSTs to the hub (WebSub §5.1). */
export const HubRequest = z.object({
  'hub.mode': z.string({ error: 'hub.mode is required (subscribe or unsubscribe)' }),
  'hub.topic': z.string({ error: 'hub.topic is required (the URL of one of our feeds)' }),
  'hub.callback': z.string({ error: 'hub.callback is required (your http(s) URL)' }),
  'hub.lease_seconds': z
    .string()
    .regex(/^\d{1,10}$/, 'hub.lease_seconds must be a whole number')
    .optional(),
  // WebSub §5.1: "MUST be less than 200 bytes in length" — bytes of UTF-8, not UTF-16 units.
  'hub.secret': z
    .string()
    .refine((s) => Buffer.byteLength(s, 'utf8') < 200, 'hub.secret must be shorter than 200 bytes (UTF-8)')
    .optional(),
});

/**
 * Accepts a subscribe or unsubscribe request: validates topic (one of our feeds),
 * callback (http/https, public unless allowed) and lease, then queues the intent
 * verification. Nothing is stored until the subscriber confirms.
 */
export async function acceptHubRequest(ctx: AppContext, form: unknown): Promise<void> {
  const parsed = HubRequest.safeParse(form ?? {});
  if (!parsed.success) throw badRequest('invalid_hub_request', parsed.error.issues[0].message);
  const f = parsed.data;
  const mode = f['hub.mode'];
  if (mode !== 'subscribe' && mode !== 'unsubscribe')
    throw badRequest('invalid_hub_request', `hub.mode must be subscribe or unsubscribe, not '${mode}'`);
  const { publicUrl, languages } = ctx.config;
  if (!parseFeedTopic(f['hub.topic'], publicUrl, languages)) {
    throw badRequest(
      'unknown_topic',
      `hub.topic must be one of this newsroom's feeds, e.g. ${publicUrl}/${languages[0]}/rss.xml (see /${languages[0]}/feeds)`,
    );
  }
  const callback = await checkCallbackUrl(f['hub.callback'], ctx.config.WEBSUB_ALLOW_PRIVATE_CALLBACKS);
  const requested = f['hub.lease_seconds']
    ? Number(f['hub.lease_seconds'])
    : ctx.config.WEBSUB_DEFAULT_LEASE_SECONDS;
  const leaseSeconds = Math.min(Math.max(requested, 60), ctx.config.WEBSUB_MAX_LEASE_SECONDS);
  await syndicationQueues(ctx).enqueue(websubVerifyJob, {
    mode,
    topic: f['hub.topic'],
    callback: callback.href,
    leaseSeconds,
    secret: f['hub.secret'] || undefined,
  });
}
