import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { RELEASE_STATUSES } from '../../models/release.js';
import { assertRole } from '../../policies/task-policy.js';
import { COVERAGE_STATES, coverageSvg, newsroomOverview, storyCoverage } from '../../workflow/overview.js';
import type { WebContext } from '../../web-context.js';
import { deskT, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';

const PAGE = 50;
const ListQuery = z.object({
  status: z.enum(RELEASE_STATUSES).optional().catch(undefined),
  section: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
    .optional()
    .catch(undefined),
  coverage: z
    .string()
    .regex(/^[a-z]{2,3}:[a-z_]+$/)
    .optional()
    .catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(200).default(PAGE).catch(PAGE),
  after: z
    .string()
    .regex(/^\d{1,15}~[A-Za-z0-9_-]{1,64}$/)
    .optional()
    .catch(undefined),
});

/**
 * Editors' overview (`/desk/overview`: coverage per language as an SVG chart with its table,
 * backlog age per pair, 30-day throughput, overdue tasks — every number links to the stories
 * behind it) and the story list (`/desk/stories`: status, section, coverage and text filters,
 * paged by cursor).
 */
export function overviewRoutes(ctx: WebContext): Router {
  const router = Router();
  const editorOnly = (_req: Request, res: Response, next: () => void) => {
    assertRole(currentDeskUser(res)!, 'editor');
    next();
  };

  router.get('/overview', editorOnly, async (req, res) => {
    const t = deskT(ctx, req);
    const overview = await newsroomOverview(ctx);
    const lang = (l: string) => t(`editor:language.${l}`);
    const state = (s: string) => t(`publishing:overview.state.${s}`);
    renderDeskPage(ctx, req, res, 'overview', {
      title: t('publishing:overview.title'),
      chart: coverageSvg(overview, lang, state, t('publishing:overview.coverage')),
      states: COVERAGE_STATES.map((s) => ({ value: s, label: state(s) })),
      languages: overview.languages.map((l) => ({
        ...l,
        cells: COVERAGE_STATES.map((s) => ({
          state: s,
          n: l.counts[s],
          href: `/desk/stories?coverage=${l.lang}:${s}`,
        })),
      })),
      backlog: overview.backlog,
      throughput: overview.throughput.map((r) => ({
        ...r,
        days: r.perDay.map((n, i) => ({ n, day: overview.days[i] })),
        max: Math.max(1, ...r.perDay),
      })),
      firstDay: overview.days[0],
      lastDay: overview.days[overview.days.length - 1],
      overdue: overview.overdue,
    });
  });

  router.get('/stories', editorOnly, async (req, res) => {
    const q = ListQuery.parse(req.query);
    const t = deskT(ctx, req);
    const [covLang, covState] = q.coverage?.split(':') ?? [];
    const needle = q.q?.toLowerCase();
    const all = (await storyCoverage(ctx))
      .filter(
        (s) =>
          (!q.status || s.status === q.status) &&
          (!q.section || s.section === q.section) &&
          (!covLang || s.coverage[covLang] === covState) &&
          (!needle || s.title.toLowerCase().includes(needle)),
      )
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.storyId < b.storyId ? -1 : 1));
    let start = 0;
    if (q.after) {
      const [ms, id] = q.after.split('~');
      start = all.findIndex(
        (s) => s.updatedAt.getTime() < Number(ms) || (s.updatedAt.getTime() === Number(ms) && s.storyId > id),
      );
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + q.limit);
    const last = page[page.length - 1];
    const params = new URLSearchParams(
      Object.entries({
        status: q.status,
        section: q.section,
        coverage: q.coverage,
        q: q.q,
        limit: q.limit === PAGE ? undefined : String(q.limit),
      }).filter((e): e is [string, string] => !!e[1]),
    );
    const next =
      start + q.limit < all.length && last
        ? `/desk/stories?${new URLSearchParams([...params, ['after', `${last.updatedAt.getTime()}~${last.storyId}`]])}`
        : undefined;
    const targets = ctx.config.languages.filter((l) => l !== ctx.config.sourceLanguage);
    renderDeskPage(ctx, req, res, 'stories', {
      title: t('desk:stories.title'),
      stories: page.map((s) => ({ ...s, cells: targets.map((l) => ({ lang: l, state: s.coverage[l] })) })),
      total: all.length,
      targets,
      filter: q,
      statuses: RELEASE_STATUSES.map((s) => ({ value: s, current: s === q.status })),
      coverageChoices: targets.flatMap((l) =>
        COVERAGE_STATES.map((s) => ({
          value: `${l}:${s}`,
          lang: l,
          state: s,
          current: q.coverage === `${l}:${s}`,
        })),
      ),
      next,
      first: q.after ? `/desk/stories?${params}` : undefined,
    });
  });

  return router;
}
