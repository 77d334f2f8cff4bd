import { Router } from 'express';
import { z } from 'zod';
import { CreateStoryInput, createStory } from '../../commands/create-story.js';
import { EditReleaseInput, editRelease } from '../../commands/edit-release.js';
import { RequestTranslationsInput, requestTranslations } from '../../commands/request-translations.js';
import { ScheduleInput, scheduleRelease } from '../../commands/schedule-release.js';
import { HoldInput, holdStory } from '../../commands/hold-story.js';
import { WithdrawInput, withdrawRelease } from '../../commands/withdraw-release.js';
import type { AppContext } from '../../context.js';
import { RELEASE_STATUSES } from '../../models/release.js';
import { requireRole } from '../../policies/require-role.js';
import { listStories, storyState } from '../../workflow/story-state.js';
import { apiRoute } from './openapi/api-route.js';

const ListQuery = z.object({
  lang: z.string().min(2).max(20).optional().describe('Default: the source language'),
  status: z.enum(RELEASE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const StoryParams = z.object({ id: z.string().min(1) });
const StoryLangParams = z.object({ id: z.string().min(1), lang: z.string().min(2).max(20) });

/** Stories and their language versions, for the desk and automation. */
export function storiesRouter(ctx: AppContext): Router {
  const router = Router();
  const anyDeskRole = requireRole('editor', 'translator', 'reviewer');
  const editor = { access: 'editor', guards: [requireRole('editor')], tag: 'Stories' };

  apiRoute(
    router,
    'get',
    '/stories',
    {
      tag: 'Stories',
      summary: 'List releases of one language',
      description: 'Newest change first.',
      access: 'any desk role',
      guards: [anyDeskRole],
      query: ListQuery,
      responses: { 200: 'The releases' },
    },
    async ({ query }, _req, res) => {
      res.json({ stories: await listStories(ctx, query) });
    },
  );

  apiRoute(
    router,
    'get',
    '/stories/:id',
    {
      tag: 'Stories',
      summary: 'Get a story with every language state',
      access: 'any desk role',
      guards: [anyDeskRole],
      params: StoryParams,
      responses: {
        200: 'The story, with each configured language’s release and open task',
        404: 'story_not_found',
      },
    },
    async ({ params }, _req, res) => {
      res.json({ story: await storyState(ctx, params.id) });
    },
  );

  apiRoute(
    router,
    'post',
    '/stories',
    {
      ...editor,
      summary: 'Create a story',
      description: 'Creates the story and its source-language release; `publish: true` publishes it.',
      body: CreateStoryInput,
      responses: { 201: 'Created; Location names it', 409: 'slug_taken, story_exists' },
    },
    async ({ body }, req, res) => {
      const { storyId } = await createStory(ctx, req.user!, body);
      res
        .status(201)
        .location(`/api/v1/stories/${storyId}`)
        .json({ story: await storyState(ctx, storyId) });
    },
  );

  apiRoute(
    router,
    'patch',
    '/stories/:id/:lang',
    {
      ...editor,
      summary: 'Edit one language version',
      params: StoryLangParams,
      body: EditReleaseInput,
      responses: { 200: 'The story', 404: 'story_not_found', 409: 'revision_conflict, slug_taken' },
    },
    async ({ params, body }, req, res) => {
      await editRelease(ctx, req.user!, params.id, params.lang, body);
      res.json({ story: await storyState(ctx, params.id) });
    },
  );

  apiRoute(
    router,
    'put',
    '/stories/:id/:lang/schedule',
    {
      ...editor,
      summary: 'Schedule a language version',
      description: 'Sets, moves or (with `at: null`) cancels the time a version goes live.',
      params: StoryLangParams,
      body: ScheduleInput,
      responses: { 200: 'The story', 404: 'story_not_found, release_not_found', 409: 'revision_conflict' },
    },
    async ({ params, body }, req, res) => {
      await scheduleRelease(ctx, req.user!, params.id, params.lang, body);
      res.json({ story: await storyState(ctx, params.id) });
    },
  );

  apiRoute(
    router,
    'put',
    '/stories/:id/hold',
    {
      ...editor,
      summary: 'Hold a story for a coordinated release',
      params: StoryParams,
      body: HoldInput,
      responses: { 200: 'The story', 404: 'story_not_found' },
    },
    async ({ params, body }, req, res) => {
      await holdStory(ctx, req.user!, params.id, body);
      res.json({ story: await storyState(ctx, params.id) });
    },
  );

  apiRoute(
    router,
    'post',
    '/stories/:id/withdraw',
    {
      ...editor,
      summary: 'Withdraw a language version or the whole story',
      description:
        'The version leaves listings, feeds, sitemaps and search; its URL answers 410 Gone, or 301 to `redirectTo`. Withdrawing the original of a story with live translations needs `translations` (`withdraw` or `keep`). `lang: "all"` withdraws every version.',
      params: StoryParams,
      body: WithdrawInput,
      responses: {
        200: 'The withdrawn languages and the story',
        400: 'translations_choice_required, bad_redirect, nothing_to_withdraw, unknown_language',
        404: 'story_not_found',
      },
    },
    async ({ params, body }, req, res) => {
      const withdrawn = await withdrawRelease(ctx, req.user!, params.id, body);
      res.json({ withdrawn, story: await storyState(ctx, params.id) });
    },
  );

  apiRoute(
    router,
    'post',
    '/stories/:id/translations',
    {
      ...editor,
      summary: 'Request translations',
      params: StoryParams,
      body: RequestTranslationsInput,
      responses: { 202: 'Per-language outcomes and the story', 404: 'story_not_found' },
    },
    async ({ params, body }, req, res) => {
      const languages = await requestTranslations(ctx, req.user!, params.id, body);
      res.status(202).json({ languages, story: await storyState(ctx, params.id) });
    },
  );

  return router;
}
