import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { deriveMediaJob } from '../../src/media/derive.job.js';
import { readBlob } from '../../src/media/blob-store.js';
import { Media, MediaBlob, MediaChunk, MediaRendition } from '../../src/models/media.js';
import { newStoryId } from '../../src/models/ids.js';
import { Release } from '../../src/models/release.js';
import { Story } from '../../src/models/story.js';
import { deskUser, signIn, tokenOf } from '../desk/desk-helpers.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { cameraJpeg, pngBomb, smallPng, svgWithScript } from './pictures.js';

let rt: TestRuntime;
let editor: Awaited<ReturnType<typeof signIn>>;
let csrf: string;
let photo: Buffer;

const upload = (bytes: Buffer, filename: string, contentType: string, agent = editor, token = csrf) =>
  agent
    .post('/desk/media')
    .set('x-csrf-token', token)
    .set('accept', 'application/json')
    .attach('file', bytes, { filename, contentType });

/** How many media documents of every kind exist: a refused upload must leave these unchanged. */
const stored = async () =>
  Promise.all(
    [Media, MediaBlob, MediaChunk, MediaRendition].map((m) => (m as typeof Media).countDocuments({})),
  );

beforeAll(async () => {
  rt = await startTestRuntime();
  const e = await deskUser({ roles: ['editor'] });
  editor = await signIn(rt.app, e.email, e.password);
  csrf = await tokenOf(editor);
  photo = await cameraJpeg();
});
afterAll(() => rt?.close());

describe('picture upload through the desk', () => {
  let id: string;

  it('stores the original under a content-addressed id, oriented size, and answers 201', async () => {
    const res = await upload(photo, 'Summit photo.JPG', 'image/jpeg').expect(201);
    id = res.body.media.id;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    // EXIF orientation 6: the camera's 1600 × 1000 is shown 1000 × 1600.
    expect(res.body.media).toMatchObject({ width: 1000, height: 1600 });
    const media = await Media.findById(id).lean();
    expect(media).toMatchObject({ format: 'jpeg', width: 1000, height: 1600, bytes: photo.length });
    const original = await readBlob(media!.original);
    expect(original!.bytes.equals(photo)).toBe(true); // the original is kept as uploaded
  });

  it('answers the same item for the same bytes (200, nothing stored twice)', async () => {
    const before = await stored();
    const res = await upload(photo, 'again.jpg', 'image/jpeg').expect(200);
    expect(res.body).toMatchObject({ created: false, media: { id } });
    expect(await stored()).toEqual(before);
  });

  it('serves renditions oriented and stripped of EXIF, immutable, with an ETag and 304', async () => {
    const res = await request(rt.app)
      .get(`/media/${id}/640.webp`)
      .buffer(true)
      .parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(res.body as Buffer).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 640, height: 1024 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    const etag = res.headers.etag;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    await request(rt.app).get(`/media/${id}/640.webp`).set('if-none-match', etag).expect(304);
  });

  it('refuses widths and formats the picture is not offered in, and unknown pictures', async () => {
    const wide = await request(rt.app)
      .get(`/media/${id}/1920.jpg`)
      .set('accept', 'application/json')
      .expect(404); // wider than the original's 1000
    expect(wide.body.error.code).toBe('media_rendition_unknown');
    expect(
      (await request(rt.app).get(`/media/${id}/640.png`).set('accept', 'application/json').expect(404)).body
        .error.code,
    ).toBe('media_rendition_unknown');
    expect(
      (
        await request(rt.app)
          .get(`/media/${'0'.repeat(32)}/640.jpg`)
          .set('accept', 'application/json')
          .expect(404)
      ).body.error.code,
    ).toBe('media_not_found');
    await request(rt.app).get(`/media/${id}/640.gif`).expect(404);
  });

  it('the worker job makes every rendition once (widths × AVIF, WebP, JPEG)', async () => {
    await deriveMediaJob.handler({ mediaId: id }, rt.ctx, { attemptsMade: 0 });
    const renditions = await MediaRendition.find({ media: id }).lean();
    const names = renditions.map((r) => r._id.split('/')[1]).sort();
    expect(names).toEqual(
      ['320', '640', '960', '1000'].flatMap((w) => ['avif', 'jpg', 'webp'].map((f) => `${w}.${f}`)).sort(),
    );
    const again = await deriveMediaJob.handler({ mediaId: id }, rt.ctx, { attemptsMade: 0 });
    expect(again).toEqual({ made: 0 });
    const avif = await readBlob(renditions.find((r) => r._id.endsWith('/320.avif'))!.blob);
    expect((await sharp(avif!.bytes).metadata()).format).toBe('heif');
  });

  it('keeps transparency: a PNG with alpha falls back to PNG, not JPEG', async () => {
    const res = await upload(await smallPng(400, 300, true), 'logo.png', 'image/png').expect(201);
    expect(res.body.media.src).toBe(`/media/${res.body.media.id}/400.png`);
    await request(rt.app)
      .get(`/media/${res.body.media.id}/400.png`)
      .expect(200)
      .expect('content-type', 'image/png');
  });

  it('two concurrent uploads of the same new picture make one item', async () => {
    const png = await smallPng(333, 222);
    const [a, b] = await Promise.all([upload(png, 'a.png', 'image/png'), upload(png, 'b.png', 'image/png')]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.media.id).toBe(b.body.media.id);
    expect(await Media.countDocuments({ _id: a.body.media.id })).toBe(1);
  });
});

describe('hostile uploads: a clear 4xx with a stable code, and nothing stored', () => {
  const cases: [string, () => Promise<[Buffer, string, string]>, number, string][] = [
    ['a zero-byte file', async () => [Buffer.alloc(0), 'empty.jpg', 'image/jpeg'], 400, 'media_empty'],
    [
      'a text file named .jpg',
      async () => [Buffer.from('just some text, not a picture\n'.repeat(20)), 'photo.jpg', 'image/jpeg'],
      415,
      'media_unsupported_type',
    ],
    [
      'a PDF sent as a JPEG',
      async () => [Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n'), 'photo.jpg', 'image/jpeg'],
      415,
      'media_unsupported_type',
    ],
    [
      'a PNG sent as image/jpeg',
      async () => [await smallPng(), 'photo.png', 'image/jpeg'],
      415,
      'media_type_mismatch',
    ],
    [
      'a PNG named .jpg',
      async () => [await smallPng(), 'photo.jpg', 'image/png'],
      415,
      'media_type_mismatch',
    ],
    [
      'an SVG with a script',
      async () => [svgWithScript, 'logo.svg', 'image/svg+xml'],
      415,
      'media_svg_refused',
    ],
    [
      'an SVG disguised as a PNG',
      async () => [svgWithScript, 'logo.png', 'image/png'],
      415,
      'media_svg_refused',
    ],
    [
      'a JPEG with HTML and script appended (polyglot)',
      async () => [
        Buffer.concat([await cameraJpeg(64, 64), Buffer.from('<html><script>alert(1)</script></html>')]),
        'p.jpg',
        'image/jpeg',
      ],
      422,
      'media_polyglot',
    ],
    [
      'a PNG with a ZIP archive appended (GIFAR-style polyglot)',
      async () => [
        Buffer.concat([
          await smallPng(),
          Buffer.from('PK\x03\x04payload', 'latin1'),
          Buffer.from([0x50, 0x4b, 0x05, 0x06]),
          Buffer.alloc(18),
        ]),
        'p.png',
        'image/png',
      ],
      422,
      'media_polyglot',
    ],
    [
      'a decompression bomb (30,000 × 30,000 PNG)',
      async () => [pngBomb(), 'bomb.png', 'image/png'],
      422,
      'media_too_many_pixels',
    ],
    [
      'a truncated JPEG',
      async () => {
        const j = await cameraJpeg(800, 600);
        return [j.subarray(0, Math.floor(j.length / 2)), 'cut.jpg', 'image/jpeg'];
      },
      422,
      'media_unreadable',
    ],
  ];

  it.each(cases)('%s', async (_name, make, status, code) => {
    const before = await stored();
    const [bytes, filename, type] = await make();
    const res = await upload(bytes, filename, type);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await stored()).toEqual(before);
  });

  it('an oversized body (21 MB) is a 413 before anything is stored', async () => {
    const before = await stored();
    const big = Buffer.concat([await cameraJpeg(64, 64), Buffer.alloc(21 * 1024 * 1024)]);
    const res = await upload(big, 'huge.jpg', 'image/jpeg')
      .ok(() => true)
      .catch((err: { response?: { status: number } }) => err.response);
    expect(res?.status).toBe(413);
    expect(await stored()).toEqual(before);
  });

  it('with MEDIA_MAX_MB lowered, a larger picture is 413 media_too_large', async () => {
    const before = await stored();
    const config = rt.ctx.config as { MEDIA_MAX_MB: number };
    config.MEDIA_MAX_MB = 0.1;
    try {
      const res = await upload(photo, 'big.jpg', 'image/jpeg');
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('media_too_large');
    } finally {
      config.MEDIA_MAX_MB = 20;
    }
    expect(await stored()).toEqual(before);
  });

  it('without the CSRF token (403) or the editor role (403), nothing is read into the store', async () => {
    const before = await stored();
    const png = await smallPng(123, 45);
    const forged = await editor
      .post('/desk/media')
      .set('accept', 'application/json')
      .set('accept-language', 'en')
      .attach('file', png, { filename: 'x.png', contentType: 'image/png' });
    expect(forged.status).toBe(403);
    // Refused before the route, still as JSON for the editor's uploader, in the desk's language.
    expect(forged.body.error.code).toBe('csrf_invalid');
    expect(forged.body.error.message).toBe(rt.web.i18n.t('publishing:errors.csrf', { lng: 'en' }));
    const t = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const translator = await signIn(rt.app, t.email, t.password);
    const res = await upload(png, 'x.png', 'image/png', translator, await tokenOf(translator));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden_role');
    expect(await stored()).toEqual(before);
  });
});

describe('a lead picture on a language version', () => {
  it('is set through the desk form with alt, caption and credit, as a new revision; a stale form is 409', async () => {
    const storyId = newStoryId();
    await Story.create({ _id: storyId, externalId: `desk:${storyId}`, sourceLang: 'ru', section: 'news' });
    await writeRelease(
      {
        storyId,
        lang: 'ru',
        title: 'Саммит в Астане',
        body: '<p>Текст.</p>',
        status: 'published',
        section: 'news',
        tags: [],
      },
      rt.ctx,
    );
    const page = `/desk/stories/${storyId}?lang=ru`;
    const token = await tokenOf(editor, page);
    const res = await editor
      .post(`/desk/stories/${storyId}/ru/image`)
      .field('_csrf', token)
      .field('baseRevision', '1')
      .field('alt', 'Главы делегаций за столом переговоров')
      .field('caption', 'Заседание Совета')
      .field('credit', 'Пресс-служба')
      .attach('file', photo, { filename: 'summit.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(303);
    const release = await Release.findById(`${storyId}.ru`).lean();
    expect(release).toMatchObject({
      revision: 2,
      status: 'published',
      image: {
        width: 1000,
        height: 1600,
        alt: 'Главы делегаций за столом переговоров',
        caption: 'Заседание Совета',
        credit: 'Пресс-служба',
      },
    });
    const stale = await editor
      .post(`/desk/stories/${storyId}/ru/image`)
      .field('_csrf', token)
      .field('baseRevision', '1')
      .field('alt', 'Другое описание');
    expect(stale.status).toBe(409);
    const noAlt = await editor
      .post(`/desk/stories/${storyId}/ru/image`)
      .field('_csrf', token)
      .field('baseRevision', '2')
      .field('alt', ' ');
    expect(noAlt.status).toBe(400);
    expect((await Release.findById(`${storyId}.ru`).lean())!.revision).toBe(2);
  });
});
