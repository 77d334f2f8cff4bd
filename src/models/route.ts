import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * The path table: `_id` is `<lang>/<slug>`, pointing at a release. Current and former
 * slugs both live here, so `/{lang}/news/{slug}` is one point lookup and a former slug
 * stays reserved for the story that used it (old links keep working). Inserting a route
 * is also how a slug is claimed: the loser of a race gets E11000.
 */
const routeSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    release: { type: String, required: true },
    story: { type: String, required: true },
    lang: { type: String, required: true },
  },
  { versionKey: false },
);

export type RouteDoc = InferSchemaType<typeof routeSchema> & { _id: string };
export const Route = mongoose.model('Route', routeSchema);
