import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPicture } from '../../src/import/fetch-picture.js';
import { checkImportRecord } from '../../src/import/parse-import-file.js';
import { readPictureSource } from '../../src/import/picture-source.js';
import { releaseId, storyIdForExternal } from '../../src/models/ids.js';
import { Media, MediaBlob, MediaChunk, MediaRendition } from '../../src/models/media.js';
import { Release, type ReleaseDoc } from '../../src/models/release.js';
import { Story } from '../../src/models/story.js';
import { cameraJpeg, pngBomb, smallPng, svgWithScript } from '../media/pictures.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { spawnNewsroom } from '../support/spawn-newsroom.js';
import { eventually } from '../workflow/support.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
let server: Server;
let base: string;
/** Requests the picture server answered, by path. */
const hits = new Map<string, number>();
const root = mkdtempSync(join(tmpdir(), 'newsroom-import-pictures-'));
const dir = join(root, 'export');
const file = join(dir, 'stories.json');

beforeAll(async () => {
  // 1 MB: the "oversized" download below is cut off while it streams.
  rt = await startTestRuntime({ IMPORT_FETCH_ALLOW_PRIVATE: '1', MEDIA_MAX_MB: '1' });
  const inline = await smallPng(800, 400);
  const bomb = pngBomb();
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/chart.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(inline);
    if (path === '/bomb.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(bomb);
    if (path === '/trickle.jpg') {
      // Headers and a first byte, then nothing: only the download's deadline ends it.
      res.on('error', () => {});
      return res.writeHead(200, { 'content-type': 'image/jpeg' }).write(Buffer.from([0xff]));
    }
    if (path === '/to-file.jpg') return res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    if (path === '/huge.jpg') {
      // No Content-Length: the cap applies while the body streams.
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(64 * 1024, 0xff);
      let sent = 0;
      const more = () => {
        while (sent < 40 && res.write(chunk)) sent++;
        if (sent < 40) res.once('drain', more);
        else res.end();
      };
      res.on('error', () => {});
      return more();
    }
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  mkdirSync(join(dir, 'pictures'), { recursive: true });
  writeFileSync(join(dir, 'pictures', 'summit photo.jpg'), await cameraJpeg(1600, 1000));
  writeFileSync(join(dir, 'pictures', 'evil.jpg'), svgWithScript);
  writeFileSync(join(dir, 'pictures', 'notes.jpg'), 'This is a text file with an image name.\n');
  writeFileSync(join(root, 'secret.jpg'), await smallPng(10, 10));
  symlinkSync(join(root, 'secret.jpg'), join(dir, 'pictures', 'link.jpg'));

  const version = (title: string, slug: string, body: string) => ({ title, slug, body });
  const stories = [
    {
      externalId: 'pics-summit',
      sourceLang: 'ru',
      publishedAt: '2024-05-01T08:00:00Z',
      leadPicture: {
        src: 'pictures/summit%20photo.jpg',
        alt: { ru: 'Главы делегаций у флагов', en: 'Heads of delegation by the flags' },
        caption: { ru: 'Саммит в Астане', en: 'The summit in Astana' },
        credit: 'Пресс-служба',
      },
      versions: {
        ru: version(
          'Саммит с фотографиями',
          'sammit-s-fotografiyami',
          `<p>Первый абзац.</p><figure><img src="${base}/chart.png" alt="График товарооборота"><figcaption>Товарооборот <small>Минэкономики</small></figcaption></figure>`,
        ),
        en: version(
          'A summit with pictures',
          'a-summit-with-pictures',
          `<p>First paragraph.</p><figure><img src="${base}/chart.png" alt="Trade chart"><figcaption>Trade <small>Ministry of Economy</small></figcaption></figure>`,
        ),
      },
    },
    {
      externalId: 'pics-hostile',
      sourceLang: 'ru',
      publishedAt: '2024-05-02T08:00:00Z',
      leadPicture: { src: 'pictures/evil.jpg', alt: { ru: 'Картинка' } },
      versions: {
        ru: version(
          'Опасные картинки',
          'opasnye-kartinki',
          `<p>Текст остаётся.</p><img src="${base}/bomb.png" alt="Бомба"><img src="pictures/notes.jpg" alt="Заметки"><figure><img src="${base}/huge.jpg" alt="Огромная"><figcaption>Подпись остаётся</figcaption></figure><img src="${base}/to-file.jpg" alt="Переадресация">`,
        ),
      },
    },
    {
      externalId: 'pics-escape',
      sourceLang: 'ru',
      publishedAt: '2024-05-03T08:00:00Z',
      leadPicture: { src: '../secret.jpg', alt: { ru: 'Секрет' } },
      versions: {
        ru: version(
          'Пути наружу',
          'puti-naruzhu',
          '<p>Путь.</p><img src="/etc/hostname" alt="a"><img src="pictures/link.jpg" alt="b"><img src="file:///etc/passwd" alt="c">',
        ),
      },
    },
    {
      externalId: 'pics-absolute',
      sourceLang: 'ru',
      publishedAt: '2024-05-03T09:00:00Z',
      leadPicture: { src: '/etc/hostname', alt: { ru: 'Файл' } },
      versions: { ru: version('Абсолютный путь', 'absolyutnyi-put', '<p>Абсолютный.</p>') },
    },
    {
      externalId: 'pics-plain',
      sourceLang: 'ru',
      publishedAt: '2024-05-04T08:00:00Z',
      versions: { ru: version('Без картинок', 'bez-kartinok', '<p>Только текст.</p>') },
    },
  ];
  writeFileSync(file, JSON.stringify({ stories }, null, 1));
}, 120_000);

afterAll(async () => {
  await rt?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

const cli = () => spawnNewsroom('src/bin/newsroom.ts', { ...rt.env, LOG_LEVEL: 'warn' }, ['import', file]);
const release = (externalId: string, lang = 'ru') =>
  Release.findById(releaseId(storyIdForExternal(externalId), lang)).lean<ReleaseDoc>();
const counts = async () => ({
  media: await Media.countDocuments(),
  blobs: await MediaBlob.countDocuments(),
  chunks: await MediaChunk.countDocuments(),
  renditions: await MediaRendition.countDocuments(),
});

describe('pictures in the import file', () => {
  let output = '';

  it(
    'imports a lead picture by relative path and an inline one by URL; refuses hostile files and escaping paths per story, and imports the rest',
    { timeout: 180_000 },
    async () => {
      const run = cli();
      const { code } = await run.exited;
      output = run.output();
      // Refused pictures are reported: exit code 2, as for rejected records.
      expect(code, output).toBe(2);
      expect(output).toMatch(
        /import: 5 records: 5 created, 0 updated, 0 unchanged, 0 rejected, 9 pictures left out/,
      );
      const report = (id: string, code: string, src: string) =>
        expect(output).toContain(`externalId ${id}) imported without its ${src}: ${code}:`);
      report('pics-hostile', 'media_svg_refused', 'lead picture pictures/evil.jpg');
      report('pics-hostile', 'media_too_many_pixels', `inline picture ${base}/bomb.png`);
      report('pics-hostile', 'media_unsupported_type', 'inline picture pictures/notes.jpg');
      report('pics-hostile', 'media_too_large', `inline picture ${base}/huge.jpg`);
      report('pics-hostile', 'picture_scheme_refused', `inline picture ${base}/to-file.jpg`);
      report('pics-escape', 'picture_path_outside', 'lead picture ../secret.jpg');
      report('pics-absolute', 'picture_path_absolute', 'lead picture /etc/hostname');
      report('pics-escape', 'picture_path_outside', 'inline picture pictures/link.jpg');
      report('pics-escape', 'picture_scheme_refused', 'inline picture file:///etc/passwd');

      // The good pictures are media items like desk uploads: the lead picture per language with its texts.
      const ru = (await release('pics-summit'))!;
      const en = (await release('pics-summit', 'en'))!;
      expect(ru.image).toMatchObject({
        width: 1000,
        height: 1600,
        alt: 'Главы делегаций у флагов',
        caption: 'Саммит в Астане',
        credit: 'Пресс-служба',
      });
      expect(en.image).toMatchObject({
        media: ru.image!.media,
        alt: 'Heads of delegation by the flags',
        caption: 'The summit in Astana',
        credit: 'Пресс-служба',
      });
      const lead = ru.image!.media;
      const chart = (await Media.findOne({ width: 800, height: 400 }).lean())!._id;
      expect(ru.body).toContain(
        `<img src="/media/${chart}/800.jpg" alt="График товарооборота" width="800" height="400" />`,
      );
      expect(en.body).toContain(
        `<img src="/media/${chart}/800.jpg" alt="Trade chart" width="800" height="400" />`,
      );
      // The desk's reaction follows: the media.uploaded event has the worker's media.derive job
      // queued for each (no worker runs here, so the job waits).
      for (const id of [lead, chart])
        await eventually(() => jobQueues(rt.ctx).queue('media').getJob(`media-derive-${id}`), 30_000);
      // Stored once although both versions name it.
      expect(hits.get('/chart.png')).toBe(1);
      expect(await Media.countDocuments()).toBe(2);

      // The article shows the lead picture with its srcset, caption and credit, and the inline one.
      const html = (await request(rt.app).get('/ru/news/sammit-s-fotografiyami').expect(200)).text;
      expect(html).toMatch(
        new RegExp(
          `<img src="/media/${lead}/1000.jpg" srcset="/media/${lead}/320.jpg 320w, [^"]+" sizes="[^"]+" width="1000" height="1600" alt="Главы делегаций у флагов"`,
        ),
      );
      expect(html).toContain(`<source type="image/avif" srcset="/media/${lead}/320.avif 320w`);
      expect(html).toMatch(
        /<figcaption>Саммит в Астане <span class="credit">Фото: Пресс-служба<\/span><\/figcaption>/,
      );
      expect(html).toMatch(
        new RegExp(`<picture><source type="image/avif" srcset="/media/${chart}/320.avif 320w`),
      );
      expect(html).toContain(
        '<figcaption>Товарооборот <span class="credit">Фото: Минэкономики</span></figcaption>',
      );
      // The feed carries it as media:content.
      const rss = (await request(rt.app).get('/ru/rss.xml').expect(200)).text;
      expect(rss).toMatch(
        new RegExp(
          `<media:content url="${rt.ctx.config.publicUrl}/media/${lead}/1000.jpg" medium="image" type="image/jpeg" fileSize="\\d+" width="1000" height="1600">\\n<media:description type="plain">Саммит в Астане</media:description>\\n<media:credit>Пресс-служба</media:credit>`,
        ),
      );

      // A story whose pictures were refused is there, whole, without them; nothing half-written.
      const hostile = (await release('pics-hostile'))!;
      expect(hostile.status).toBe('published');
      expect(hostile.image).toBeFalsy();
      expect(hostile.body).toBe(
        '<p>Текст остаётся.</p><figure><figcaption>Подпись остаётся</figcaption></figure>',
      );
      // A body picture addressed from the site's root is a URL path, left as written (never read).
      expect((await release('pics-escape'))!.body).toBe('<p>Путь.</p><img src="/etc/hostname" alt="a" />');
      expect((await release('pics-escape'))!.image).toBeFalsy();
      expect((await request(rt.app).get('/ru/news/bez-kartinok').expect(200)).text).toContain(
        'Только текст.',
      );
      // Nothing outside the directory was read: only the two good pictures are stored.
      expect((await counts()).media).toBe(2);
    },
  );

  it(
    'a rerun stores nothing new, fetches no unchanged picture again and rewrites no story; a corrected record does not download its URL again',
    { timeout: 180_000 },
    async () => {
      const before = await counts();
      const revisions = await Release.find({}, { revision: 1 }).sort({ _id: 1 }).lean();
      const run = cli();
      expect((await run.exited).code, run.output()).toBe(2);
      // The complete story is skipped by its hash; those with pictures left out are tried again.
      expect(run.output()).toMatch(
        /import: 5 records: 0 created, 0 updated, 5 unchanged, 0 rejected, 9 pictures left out/,
      );
      expect(await counts()).toEqual(before);
      expect(await Release.find({}, { revision: 1 }).sort({ _id: 1 }).lean()).toEqual(revisions);
      expect(hits.get('/chart.png')).toBe(1);
      expect(hits.get('/bomb.png')).toBe(2);
      expect((await Story.findById(storyIdForExternal('pics-summit')).lean())!.importHash).toBeTruthy();
      expect((await Story.findById(storyIdForExternal('pics-hostile')).lean())!.importHash).toBeFalsy();

      // A corrected record naming the same URL: the text is updated, the picture not downloaded again.
      const data = JSON.parse(readFileSync(file, 'utf8')) as {
        stories: { externalId: string; versions: Record<string, { body: string }> }[];
      };
      const summit = data.stories.find((s) => s.externalId === 'pics-summit')!;
      summit.versions.ru.body = summit.versions.ru.body.replace('Первый абзац.', 'Исправленный абзац.');
      writeFileSync(file, JSON.stringify(data));
      const corrected = cli();
      expect((await corrected.exited).code, corrected.output()).toBe(2);
      expect(corrected.output()).toMatch(/import: 5 records: 0 created, 1 updated, 4 unchanged/);
      const ru = (await release('pics-summit'))!;
      expect(ru.body).toMatch(
        /^<p>Исправленный абзац\.<\/p><figure><img src="\/media\/[0-9a-f]{32}\/800\.jpg"/,
      );
      expect(ru.image?.media).toBeTruthy();
      expect(hits.get('/chart.png')).toBe(1);
      expect((await counts()).media).toBe(before.media);
    },
  );

  it('rejects a record whose lead picture lacks alt text in one of its languages', () => {
    const record = {
      externalId: 'no-alt',
      sourceLang: 'ru',
      leadPicture: { src: 'pictures/x.jpg', alt: { ru: 'Фото' } },
      versions: { ru: { title: 'Т', body: '<p>т</p>' }, en: { title: 'T', body: '<p>t</p>' } },
    };
    expect(checkImportRecord(record, 0, ['ru', 'en'], new Map())).toMatchObject({
      reason: expect.stringMatching(/^leadPicture has no alt text in en/),
    });
  });

  it('refuses loopback addresses unless IMPORT_FETCH_ALLOW_PRIVATE is set, ends a trickling download at its deadline, refuses .. and relative paths without a directory', async () => {
    const limits = { maxBytes: 1 << 20, timeoutMs: 5_000 };
    await expect(fetchPicture(`${base}/chart.png`, { ...limits, allowPrivate: false })).rejects.toMatchObject(
      {
        code: 'picture_private_address',
      },
    );
    expect(
      (await fetchPicture(`${base}/chart.png`, { ...limits, allowPrivate: true })).bytes.length,
    ).toBeGreaterThan(0);
    await expect(
      fetchPicture(`${base}/trickle.jpg`, { ...limits, timeoutMs: 500, allowPrivate: true }),
    ).rejects.toMatchObject({ code: 'picture_fetch_timeout' });
    await expect(
      readPictureSource('pictures/../../secret.jpg', { ...limits, allowPrivate: false, baseDir: dir }),
    ).rejects.toMatchObject({ code: 'picture_path_outside' });
    await expect(
      readPictureSource('pictures/lead.jpg', { ...limits, allowPrivate: false }),
    ).rejects.toMatchObject({ code: 'picture_path_without_directory' });
  });
});
