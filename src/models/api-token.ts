import mongoose from 'mongoose';

/**
 * A bearer token for automation. `_id` is the SHA-256 of the token (hex), so authenticating
 * is one point lookup and the token itself is never stored. Revoked tokens are kept, marked.
 */
const apiTokenSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    user: { type: String, required: true },
    /** First characters of the token, to tell tokens apart when revoking. */
    prefix: { type: String, required: true },
    createdAt: { type: Date, default: () => new Date() },
    revokedAt: Date,
  },
  { versionKey: false },
);

export const ApiToken = mongoose.model('ApiToken', apiTokenSchema, 'api_tokens');
