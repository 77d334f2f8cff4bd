import { extractFromJson } from '@extractus/feed-extractor';
import { parseFeed as parseWithRowanmanning } from '@rowanmanning/feed-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { SaxesParser } from 'saxes';
import { writeRelease, type WriteReleaseInput } from '../../src/commands/write-release.js';
import type { ReleaseDoc } from '../../src/models/release.js';
import type { TestRuntime } from '../support/test-runtime.js';

/** What every parser must agree on about one item. */
export interface ParsedItem {
  id: string;
  link: string;
  title: string;
}

export interface ParsedFeed {
  parser: string;
  title: string;
  items: ParsedItem[];
}

/** Throws unless `xml` is a well-formed XML 1.0 document (saxes is strict about characters too). */
export function assertWellFormedXml(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  let error: Error | undefined;
  parser.on('error', (err) => {
    error ??= err;
  });
  parser.write(xml).close();
  if (error) throw error;
}

/** The same feed read by two independent parsers, reduced to what they must agree on. */
export function parseTwice(format: 'rss' | 'atom' | 'json', body: string): ParsedFeed[] {
  if (format === 'json') {
    const json = JSON.parse(body);
    const a = parseJsonFeed(json);
    const b = extractFromJson(json);
    return [
      {
        parser: 'feedsmith',
        title: a.title ?? '',
        items: (a.items ?? []).map((i) => ({ id: i.id ?? '', link: i.url ?? '', title: i.title ?? '' })),
      },
      {
        parser: '@extractus/feed-extractor',
        title: b.title ?? '',
        items: (b.entries ?? []).map((i) => ({ id: i.id ?? '', link: i.link ?? '', title: i.title ?? '' })),
      },
    ];
  }
  assertWellFormedXml(body);
  const r = parseWithRowanmanning(body);
  const rowan: ParsedFeed = {
    parser: '@rowanmanning/feed-parser',
    title: r.title ?? '',
    items: r.items.map((i) => ({ id: i.id ?? '', link: i.url ?? '', title: i.title ?? '' })),
  };
  if (format === 'rss') {
    const a = parseRssFeed(body);
    return [
      {
        parser: 'feedsmith',
        title: a.title ?? '',
        items: (a.items ?? []).map((i) => ({
          id: i.guid?.value ?? '',
          link: i.link ?? '',
          title: i.title ?? '',
        })),
      },
      rowan,
    ];
  }
  const a = parseAtomFeed(body);
  return [
    {
      parser: 'feedsmith',
      title: textOf(a.title),
      items: (a.entries ?? []).map((e) => ({
        id: e.id ?? '',
        link: e.links?.find((l) => l.rel === 'alternate' && !l.title)?.href ?? '',
        title: textOf(e.title),
      })),
    },
    rowan,
  ];
}

/** feedsmith gives Atom text constructs with a `type` attribute as `{ type, value }`. */
export const textOf = (t: unknown): string =>
  typeof t === 'string' ? t : ((t as { value?: string } | undefined)?.value ?? '');

let seq = 0;

/** Writes a release and waits until the outbox has updated the read model and caches. */
export async function publish(
  rt: TestRuntime,
  input: Partial<WriteReleaseInput> & { storyId: string; lang: string },
): Promise<ReleaseDoc> {
  seq += 1;
  const { release } = await writeRelease({
    title: `Release ${seq}`,
    lead: `Lead ${seq}`,
    body: `<p>Body ${seq}</p>`,
    status: 'published',
    section: 'news',
    tags: [],
    ...input,
  });
  await rt.relay.drain();
  return release;
}

/** Polls until `check` returns a truthy value (waiting for a worker, not measuring it). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 20_000,
): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | 0 | '' | null | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const guidOf = (releaseId: string) => `urn:newsroom:release:${releaseId}`;
