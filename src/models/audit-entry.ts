import mongoose from 'mongoose';

export const AUDIT_ACTIONS = [
  'auth.sign-in',
  'auth.sign-in-failed',
  'user.create',
  'user.roles',
  'user.disable',
  'user.enable',
  'user.password-reset',
  'token.issue',
  'token.revoke',
  'release.publish',
  'release.withdraw',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.redeliver',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One security-relevant action, append-only. `_id` starts with the time in fixed-width base
 * 36, so ids sort by time and the newest-first listing pages by `_id`.
 */
const auditEntrySchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    action: { type: String, enum: AUDIT_ACTIONS, required: true },
    /** Who acted (a user id, `system`, or for a failed sign-in the e-mail typed). */
    actor: { type: String, required: true, maxlength: 320 },
    /** What it was done to: a user id, token prefix, release id. */
    target: { type: String, maxlength: 400 },
    detail: { type: String, maxlength: 1_000 },
    ip: { type: String, maxlength: 64 },
  },
  { versionKey: false },
);

export type AuditEntryDoc = mongoose.InferSchemaType<typeof auditEntrySchema> & { _id: string };
export const AuditEntry = mongoose.model('AuditEntry', auditEntrySchema, 'audit_log');
