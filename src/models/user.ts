import mongoose, { type InferSchemaType } from 'mongoose';

export const ROLES = ['editor', 'translator', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const PAIR = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*:[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** A desk user. `_id` is the lower-cased e-mail, so sign-in is a point lookup. */
const userSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, maxlength: 320, match: /^[^\s@]+@[^\s@]+$/ },
    name: { type: String, required: true, maxlength: 200 },
    /** argon2id hash; never the password. */
    passwordHash: { type: String, required: true },
    roles: { type: [{ type: String, enum: ROLES }], default: [] },
    /** Language pairs such as `ru:en` this person translates or reviews. */
    pairs: { type: [{ type: String, match: PAIR }], default: [] },
    disabled: { type: Boolean, default: false },
    /**
     * Bumped when the account is disabled or its password reset: a session remembers the
     * epoch it signed in under, and one from an older epoch is no longer signed in.
     */
    sessionEpoch: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);

userSchema.index({ email: 1 }, { unique: true });

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: string };
export const User = mongoose.model('User', userSchema);
