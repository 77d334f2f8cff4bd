import { z } from 'zod';

/**
 * The outbox's events and their payloads, one zod schema each. `emitEvent` checks a payload
 * against its schema before recording it and the relay checks it again before any handler
 * runs, so a handler's payload type is the schema's (`src/outbox/handlers.ts`).
 */
export const OUTBOX_EVENTS = {
  /** A release was written (any field, any status). */
  'release.changed': z.object({
    releaseId: z.string().min(1),
    storyId: z.string().min(1),
    lang: z.string().min(2),
    revision: z.number().int().min(1),
    /** Title, lead or body differ from the previous revision. */
    contentChanged: z.boolean(),
    /**
     * The previous revision was published too, so this one did not publish it (absent: not
     * known, as in events recorded before this field and those of an import).
     */
    wasPublished: z.boolean().nullish(),
  }),
  /** A release is to be published at `at` (ms). */
  'release.scheduled': z.object({ releaseId: z.string().min(1), at: z.number().int() }),
  /** A story's press contact changed: every version's page shows it. */
  'story.contact': z.object({ storyId: z.string().min(1) }),
  /** A held story is to be released at `at` (ms) whatever its translations. */
  'story.embargo': z.object({ storyId: z.string().min(1), at: z.number().int() }),
  /** A translator submitted a task: QA comes next. */
  'task.submitted': z.object({ taskId: z.string().min(1), revision: z.number().int().min(1) }),
  /** A reviewer approved a task: publishing comes next. */
  'task.approved': z.object({ taskId: z.string().min(1) }),
  /** An open task passed its due date (`dueAt`, ms) unapproved: found by the periodic check. */
  'task.overdue': z.object({ taskId: z.string().min(1), dueAt: z.number().int() }),
  /** A picture was stored: its renditions come next. */
  'media.uploaded': z.object({ mediaId: z.string().min(1) }),
};

export type OutboxEventType = keyof typeof OUTBOX_EVENTS;
export type OutboxPayload<T extends OutboxEventType> = z.infer<(typeof OUTBOX_EVENTS)[T]>;
