import mongoose from 'mongoose';

/**
 * Point-lookup pointers from a story's language to its tasks: `open:<storyId>.<lang>` names
 * the open task, `approved:<storyId>.<lang>` the last published one (whose segments pre-fill
 * the next translation). Two documents, so the two writers never touch the same one.
 */
const taskPointerSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    task: { type: String, required: true },
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export const TaskPointer = mongoose.model('TaskPointer', taskPointerSchema, 'task_pointers');
export const openPointerId = (storyId: string, lang: string) => `open:${storyId}.${lang}`;
export const approvedPointerId = (storyId: string, lang: string) => `approved:${storyId}.${lang}`;
