import { Router } from 'express';
import { z } from 'zod';
import { CreateStoryInput, createStory } from '../../commands/create-story.js';
import { EditReleaseInput, editRelease } from '../../commands/edit-release.js';
import { RequestTranslationsInput, requestTranslations } from '../../commands/request-translations.js';
import { ScheduleInput, scheduleRelease } from '../../commands/schedule-release.js';
import { HoldInput, holdStory } from '../../commands/hold-story.js';
import type { AppContext } from '../../context.js';
import { RELEASE_STATUSES } from '../../models/release.js';
import { requireRole } from '../../policies/require-role.js';
import { listStories, storyState } from '../../workflow/story-state.js';
import { parseInput } from './validate.js';

const ListQuery = z.object({
  lang: z.string().min(2).max(20).optional(),
  status: z.enum(RELEASE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Stories and their language versions, for the desk and automation. */
export function storiesRouter(ctx: AppContext): Router {
  const router = Router();
  const anyDeskRole = requireRole('editor', 'translator', 'reviewer');

  router.get('/stories', anyDeskRole, async (req, res) => {
    const q = parseInput(ListQuery, req.query);
    res.json({ stories: await listStories(ctx, q) });
  });

  router.get('/stories/:id', anyDeskRole, async (req, res) => {
    res.json({ story: await storyState(ctx, String(req.params.id)) });
  });

  router.post('/stories', requireRole('editor'), async (req, res) => {
    const input = parseInput(CreateStoryInput, req.body);
    const { storyId } = await createStory(ctx, req.user!, input);
    res
      .status(201)
      .location(`/api/v1/stories/${storyId}`)
      .json({ story: await storyState(ctx, storyId) });
  });

  router.patch('/stories/:id/:lang', requireRole('editor'), async (req, res) => {
    const input = parseInput(EditReleaseInput, req.body);
    const storyId = String(req.params.id);
    await editRelease(ctx, req.user!, storyId, String(req.params.lang), input);
    res.json({ story: await storyState(ctx, storyId) });
  });

  router.put('/stories/:id/:lang/schedule', requireRole('editor'), async (req, res) => {
    const input = parseInput(ScheduleInput, req.body);
    const storyId = String(req.params.id);
    await scheduleRelease(ctx, req.user!, storyId, String(req.params.lang), input);
    res.json({ story: await storyState(ctx, storyId) });
  });

  router.put('/stories/:id/hold', requireRole('editor'), async (req, res) => {
    const input = parseInput(HoldInput, req.body);
    const storyId = String(req.params.id);
    await holdStory(ctx, req.user!, storyId, input);
    res.json({ story: await storyState(ctx, storyId) });
  });

  router.post('/stories/:id/translations', requireRole('editor'), async (req, res) => {
    const input = parseInput(RequestTranslationsInput, req.body);
    const storyId = String(req.params.id);
    const languages = await requestTranslations(ctx, req.user!, storyId, input);
    res.status(202).json({ languages, story: await storyState(ctx, storyId) });
  });

  return router;
}
