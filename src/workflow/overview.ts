import type { AppContext } from '../context.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { Task } from '../models/translation-task.js';

/** A language's state in a story, as the overview counts it. */
export const COVERAGE_STATES = ['published', 'outdated', 'in_translation', 'in_review', 'missing'] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

type Lite = Pick<
  ReleaseDoc,
  '_id' | 'story' | 'lang' | 'status' | 'outdated' | 'title' | 'section' | 'updatedAt'
>;
interface OpenTask {
  _id: string;
  story: string;
  to: string;
  pair: string;
  state: string;
  assignee?: string | null;
  dueAt?: Date | null;
  createdAt: Date;
}

export interface StoryCoverage {
  storyId: string;
  title: string;
  section: string;
  status: string;
  updatedAt: Date;
  coverage: Record<string, CoverageState>;
}

/**
 * Every story's original and each target language's state. One scan of releases (without
 * bodies) and one of the open-task collection (kept small: finished tasks are archived);
 * the overview is an editor's page, not a reader's, so this is fine on the embedded store.
 */
export async function storyCoverage(ctx: AppContext): Promise<StoryCoverage[]> {
  const source = ctx.config.sourceLanguage;
  const targets = ctx.config.languages.filter((l) => l !== source);
  const [releases, tasks] = await Promise.all([
    Release.find({}, { story: 1, lang: 1, status: 1, outdated: 1, title: 1, section: 1, updatedAt: 1 }).lean<
      Lite[]
    >(),
    Task.find({}, { story: 1, to: 1, pair: 1, state: 1 }).lean<OpenTask[]>(),
  ]);
  const byStory = new Map<string, Map<string, Lite>>();
  for (const r of releases) {
    let m = byStory.get(r.story);
    if (!m) byStory.set(r.story, (m = new Map()));
    m.set(r.lang, r);
  }
  const openTask = new Map(tasks.map((t) => [`${t.story}.${t.to}`, t.state]));
  const out: StoryCoverage[] = [];
  for (const [storyId, versions] of byStory) {
    const original = versions.get(source);
    if (!original) continue;
    const coverage: Record<string, CoverageState> = {};
    for (const lang of targets) {
      const r = versions.get(lang);
      const task = openTask.get(`${storyId}.${lang}`);
      coverage[lang] =
        r?.status === 'published' && !r.outdated
          ? 'published'
          : task === 'submitted' || task === 'in_review' || task === 'approved'
            ? 'in_review'
            : task
              ? 'in_translation'
              : r?.status === 'published'
                ? 'outdated'
                : 'missing';
    }
    out.push({
      storyId,
      title: original.title,
      section: original.section,
      status: original.status,
      updatedAt: original.updatedAt ?? new Date(0),
      coverage,
    });
  }
  return out;
}

export interface Overview {
  languages: { lang: string; counts: Record<CoverageState, number>; total: number }[];
  backlog: { pair: string; open: number; oldestDays: number; medianDays: number }[];
  throughput: { lang: string; perDay: number[]; total: number }[];
  days: string[];
  overdue: OpenTask[];
}

/** The newsroom overview: coverage per language, backlog age per pair, 30-day throughput, overdue tasks. */
export async function newsroomOverview(ctx: AppContext, now = new Date()): Promise<Overview> {
  const stories = (await storyCoverage(ctx)).filter((s) => s.status === 'published');
  const targets = ctx.config.languages.filter((l) => l !== ctx.config.sourceLanguage);
  const languages = targets.map((lang) => {
    const counts = Object.fromEntries(COVERAGE_STATES.map((s) => [s, 0])) as Record<CoverageState, number>;
    for (const s of stories) counts[s.coverage[lang]]++;
    return { lang, counts, total: stories.length };
  });

  const tasks = await Task.find(
    {},
    { story: 1, to: 1, pair: 1, state: 1, assignee: 1, dueAt: 1, createdAt: 1 },
  ).lean<OpenTask[]>();
  const day = 86_400_000;
  const pairs = [...new Set(tasks.map((t) => t.pair))].sort();
  const backlog = pairs.map((pair) => {
    const ages = tasks
      .filter((t) => t.pair === pair)
      .map((t) => (now.getTime() - new Date(t.createdAt).getTime()) / day)
      .sort((a, b) => a - b);
    return {
      pair,
      open: ages.length,
      oldestDays: Math.floor(ages[ages.length - 1] ?? 0),
      medianDays: Math.floor(ages[Math.floor(ages.length / 2)] ?? 0),
    };
  });

  // Approvals per day come from the counters publishing keeps (`keys.publishedCount`).
  const days = Array.from({ length: 30 }, (_, i) =>
    new Date(now.getTime() - (29 - i) * day).toISOString().slice(0, 10),
  );
  const allPairs = Object.entries(ctx.config.pivots).map(([to, from]) => `${from}:${to}`);
  const throughput = [];
  for (const lang of targets) {
    const perDay = days.map(() => 0);
    for (const pair of allPairs.filter((p) => p.endsWith(`:${lang}`))) {
      const counts = await ctx.redis.mget(days.map((d) => ctx.keys.publishedCount(pair, d)));
      counts.forEach((c, i) => (perDay[i] += Number(c ?? 0)));
    }
    throughput.push({ lang, perDay, total: perDay.reduce((a, b) => a + b, 0) });
  }

  const overdue = tasks
    .filter((t) => t.dueAt && new Date(t.dueAt).getTime() < now.getTime())
    .sort((a, b) => new Date(a.dueAt!).getTime() - new Date(b.dueAt!).getTime());
  return { languages, backlog, throughput, days, overdue };
}

/** Coverage as a horizontal stacked bar per language, server-rendered SVG (no script, no styles inline). */
export function coverageSvg(
  overview: Overview,
  label: (lang: string) => string,
  stateLabel: (s: CoverageState) => string,
  title: string,
): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const rowH = 26;
  const labelW = 130;
  const barW = 420;
  const height = overview.languages.length * rowH + 40;
  const parts: string[] = [];
  overview.languages.forEach((l, i) => {
    const y = i * rowH + 4;
    parts.push(
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" class="chart-label">${esc(label(l.lang))}</text>`,
    );
    let x = labelW;
    for (const s of COVERAGE_STATES) {
      const w = l.total ? (l.counts[s] / l.total) * barW : 0;
      if (w > 0) {
        parts.push(
          `<a href="/desk/stories?coverage=${l.lang}:${s}"><rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 8}" class="cov-${s}"><title>${esc(`${label(l.lang)}: ${stateLabel(s)} ${l.counts[s]}`)}</title></rect></a>`,
        );
      }
      x += w;
    }
  });
  const legendY = overview.languages.length * rowH + 20;
  COVERAGE_STATES.forEach((s, i) => {
    const x = labelW + i * 90;
    parts.push(`<rect x="${x}" y="${legendY - 10}" width="12" height="12" class="cov-${s}"/>`);
    parts.push(`<text x="${x + 16}" y="${legendY}" class="chart-legend">${esc(stateLabel(s))}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${labelW + barW + 10} ${height}" role="img" aria-labelledby="coverage-svg-title" class="coverage-chart"><title id="coverage-svg-title">${esc(title)}</title>${parts.join('')}</svg>`;
}
