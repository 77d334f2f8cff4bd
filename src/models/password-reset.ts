import mongoose from 'mongoose';

/**
 * A one-time password link: `_id` is the SHA-256 of the secret in the link, so the secret is
 * never stored. Using it deletes it (the delete is the compare-and-set: one use wins).
 */
const passwordResetSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    user: { type: String, required: true },
    by: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const PasswordReset = mongoose.model('PasswordReset', passwordResetSchema, 'password_resets');
