import mongoose from 'mongoose';

/**
 * An editor's translation settings for one story (`_id` = story id): which target languages
 * (empty: every configured one), with what priority and due date.
 */
const storyWorkflowSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    targets: { type: [String], default: [] },
    priority: { type: Number, default: 5 },
    dueAt: Date,
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export type StoryWorkflowDoc = { _id: string; targets: string[]; priority: number; dueAt?: Date | null };
export const StoryWorkflow = mongoose.model('StoryWorkflow', storyWorkflowSchema, 'story_workflows');
