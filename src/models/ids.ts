import { createHash, randomBytes } from 'node:crypto';

/**
 * Ids are strings chosen so that hot lookups are `_id` point lookups (the only indexed
 * lookup on the embedded store): a story imported from another system gets an id derived
 * from its external id, a release is `<storyId>.<lang>`, a route is `<lang>/<slug>`.
 */
export const newStoryId = () => randomBytes(12).toString('hex');
export const storyIdForExternal = (externalId: string) =>
  createHash('sha256').update(`story:${externalId}`).digest('hex').slice(0, 24);
export const releaseId = (storyId: string, lang: string) => `${storyId}.${lang}`;
export const routeId = (lang: string, slug: string) => `${lang}/${slug}`;
