import type { AppContext } from '../context.js';
import { Task } from '../models/translation-task.js';

export interface PairStats {
  pair: string;
  /** Open tasks by state. */
  backlog: Record<string, number>;
  /** Age in seconds of the oldest task not yet approved. */
  oldestTaskAgeSeconds: number | null;
  /** Translations published per day, last 7 days (UTC), newest first. */
  throughput: { day: string; published: number }[];
}

/**
 * Per language pair: backlog, oldest task age and throughput. The open-task collection is
 * kept small (finished tasks are archived), so the one scan here stays cheap.
 */
export async function workflowStats(ctx: AppContext, now = new Date()): Promise<PairStats[]> {
  const pairs = Object.entries(ctx.config.pivots).map(([to, from]) => `${from}:${to}`);
  const open = await Task.find({}, { pair: 1, state: 1, createdAt: 1 }).lean();
  const days = Array.from({ length: 7 }, (_, i) =>
    new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10),
  );
  const stats: PairStats[] = [];
  for (const pair of new Set([...pairs, ...open.map((t) => t.pair)])) {
    const mine = open.filter((t) => t.pair === pair);
    const backlog: Record<string, number> = {};
    for (const t of mine) backlog[t.state] = (backlog[t.state] ?? 0) + 1;
    const waiting = mine.filter((t) => t.state !== 'approved').map((t) => new Date(t.createdAt).getTime());
    const counts = await ctx.redis.mget(days.map((d) => ctx.keys.publishedCount(pair, d)));
    stats.push({
      pair,
      backlog,
      oldestTaskAgeSeconds: waiting.length ? Math.round((now.getTime() - Math.min(...waiting)) / 1000) : null,
      throughput: days.map((day, i) => ({ day, published: Number(counts[i] ?? 0) })),
    });
  }
  return stats;
}
