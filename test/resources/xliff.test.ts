import request from 'supertest';
import { Xliff as IlibXliff } from 'ilib-xliff';
import xliff from 'xliff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '../../src/commands/claim-task.js';
import { createStory } from '../../src/commands/create-story.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { parseXliff } from '../../src/exchange/xliff.js';
import type { TaskDoc } from '../../src/models/translation-task.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { findTask } from '../../src/workflow/task-store.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

const LANGS = ['ru', 'en'];
let rt: TestRuntime;
let translator: Awaited<ReturnType<typeof buildUser>>;
let editor: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: LANGS.join(',') });
  translator = await buildUser(['translator'], ['ru:en'], LANGS);
  editor = await buildUser(['editor'], [], LANGS);
});
afterAll(async () => {
  await rt?.close();
});

const BODY =
  '<p>Заседание пройдёт в <b>Москве</b>.</p><p>Первая <b>строка<br>вторая</b> строка.</p><p>Совет одобрил <a href="https://example.org/?a=1&amp;b=2">план</a>.</p>';

/** A task of a new story, claimed by the translator. */
async function claimedTask(): Promise<TaskDoc> {
  const { storyId } = await createStory(rt.ctx, editor.actor, {
    title: 'Совет одобрил план',
    body: BODY,
    publish: true,
  });
  const out = await prepareTranslationTask(rt.ctx, { storyId, from: 'ru', to: 'en' });
  if (!('task' in out)) throw new Error(out.status);
  for (let k = 0; k < 50; k++) {
    const claimed = await claimTask(rt.ctx, translator.actor, 'ru:en');
    if (!claimed) break;
    if (claimed._id === out.task._id) return claimed;
  }
  throw new Error('could not claim the task');
}

const exportOf = async (task: TaskDoc, version: '2.0' | '1.2') => {
  const res = await request(rt.app)
    .get(`/api/v1/tasks/${encodeURIComponent(task._id)}/xliff`)
    .query({ version })
    .set(translator.auth)
    .buffer(true)
    .parse((r, cb) => {
      let data = '';
      r.on('data', (c: Buffer) => (data += c.toString('utf8')));
      r.on('end', () => cb(null, data));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/xliff\+xml/);
  return res.body as string;
};

const importOf = (task: TaskDoc, file: string, query: Record<string, string> = {}) =>
  request(rt.app)
    .put(`/api/v1/tasks/${encodeURIComponent(task._id)}/xliff`)
    .query(query)
    .set(translator.auth)
    .set('Content-Type', 'application/xliff+xml')
    .send(file);

const TRANSLATIONS: Record<string, string> = {
  'Совет одобрил план': 'The council approved the plan',
  'Заседание пройдёт в {1}Москве{/1}.': 'The meeting will take place in {1}Moscow{/1}.',
  'Первая {1}строка{2/}вторая{/1} строка.': 'First {1}line{2/}second{/1} line.',
  'Совет одобрил {1}план{/1}.': 'The council approved the {1}plan{/1}.',
};

describe('XLIFF 2.0', () => {
  it('exports units with stable ids, <pc>/<ph> codes with their original data, states, notes', async () => {
    const task = await claimedTask();
    const file = await exportOf(task, '2.0');
    expect(file).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0"');
    expect(file).toContain('srcLang="ru" trgLang="en"');
    expect(file).toContain(`<file id="${task._id}" original="newsroom:task:${task._id}">`);
    expect(file).toContain('<unit id="s1" name="body">');
    expect(file).toContain(
      '<source>Заседание пройдёт в <pc id="1" dataRefStart="d1" dataRefEnd="d1c">Москве</pc>.</source>',
    );
    expect(file).toContain(
      '<source>Первая <pc id="1" dataRefStart="d1" dataRefEnd="d1c">строка<ph id="2" dataRef="d2e"/>вторая</pc> строка.</source>',
    );
    expect(file).toContain('<data id="d1">&lt;a href="https://example.org/?a=1&amp;amp;b=2"&gt;</data>');
    expect(file).toContain('<note category="location">2. body</note>');
    expect(file).toContain('state="initial" subState="nr:empty"');
    // Read back by an independent implementation: same units, same sources.
    const js = (await xliff.xliff2js(file)) as {
      resources: Record<string, Record<string, { source: unknown }>>;
    };
    expect(Object.keys(js.resources[task._id])).toEqual(task.segments.map((s) => `s${s.i}`));
  });

  it('round-trips: a file written by the `xliff` package imports, ending as typed in the browser', async () => {
    const [viaFile, viaBrowser] = [await claimedTask(), await claimedTask()];
    // A CAT tool (the independent `xliff` package) reads our file, fills the targets, writes it.
    const js = (await xliff.xliff2js(await exportOf(viaFile, '2.0'))) as {
      resources: Record<string, Record<string, { source: unknown; target?: unknown }>>;
    };
    for (const seg of viaFile.segments) {
      const unit = js.resources[viaFile._id][`s${seg.i}`];
      unit.target = toXliffJs(TRANSLATIONS[seg.source]);
    }
    const written = (await xliff.js2xliff(js, { indent: '' })) as string;
    // The package keeps no segment state: each unit arrives unconfirmed (state "initial").
    const res = await importOf(viaFile, written);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ updated: 4, confirmed: 0 });

    const typed = await saveTaskSegments(rt.ctx, translator.actor, viaBrowser._id, {
      baseRevision: viaBrowser.revision,
      segments: viaBrowser.segments.map((s) => ({ i: s.i, target: TRANSLATIONS[s.source] })),
    });
    const fromFile = (await findTask(viaFile._id))!;
    const shape = (t: TaskDoc) =>
      t.segments.map((s) => ({ target: s.target, status: s.status, origin: s.origin }));
    expect(shape(fromFile)).toEqual(shape(typed));
    expect(fromFile.segments[1].target).toBe('The meeting will take place in {1}Moscow{/1}.');
  });

  it('takes "translated" as confirmed and maps it back on export', async () => {
    const task = await claimedTask();
    let file = await exportOf(task, '2.0');
    file = fillTargets20(file, task, 'translated');
    const res = await importOf(task, file);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ updated: 4, confirmed: 4 });
    const after = (await findTask(task._id))!;
    expect(after.segments.map((s) => s.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    expect(await exportOf(after, '2.0')).toContain('state="translated" subState="nr:confirmed"');
  });

  it('refuses a file whose source segment changed (409 xliff_source_changed), writing nothing', async () => {
    const task = await claimedTask();
    let file = fillTargets20(await exportOf(task, '2.0'), task, 'translated');
    file = file.replace('Заседание пройдёт в', 'Заседание состоится в');
    const res = await importOf(task, file);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('xliff_source_changed');
    expect(res.body.error.details.problems).toEqual([
      expect.objectContaining({ unit: 's1', code: 'source_changed', line: expect.any(Number) }),
    ]);
    expect((await findTask(task._id))!.revision).toBe(task.revision);
  });

  it('refuses broken or foreign inline codes per segment (422) and another task’s file (400)', async () => {
    const task = await claimedTask();
    const file = fillTargets20(await exportOf(task, '2.0'), task, 'translated');
    const foreign = file.replace('Moscow</pc>', 'Moscow</pc><ph id="7"/>');
    const res = await importOf(task, foreign);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'xliff_invalid_segments' });
    expect(res.body.error.details.problems[0]).toMatchObject({ unit: 's1', code: 'codes_unknown' });

    const other = await claimedTask();
    const wrong = await importOf(other, file);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('xliff_wrong_task');
  });

  it('never overwrites work changed in the newsroom since the export, unless told to', async () => {
    const task = await claimedTask();
    const file = fillTargets20(await exportOf(task, '2.0'), task, 'translated');
    // Meanwhile, in the browser: segment 1 typed and confirmed.
    await saveTaskSegments(rt.ctx, translator.actor, task._id, {
      baseRevision: task.revision,
      segments: [{ i: 1, target: 'Typed in the browser.', confirmed: true }],
    });
    const res = await importOf(task, file);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('xliff_conflict');
    expect(res.body.error.details.conflicts).toEqual([
      expect.objectContaining({ unit: 's1', current: 'Typed in the browser.' }),
    ]);
    expect((await findTask(task._id))!.segments[1].target).toBe('Typed in the browser.');
    const forced = await importOf(task, file, { overwrite: '1' });
    expect(forced.status).toBe(200);
    expect((await findTask(task._id))!.segments[1].target).toBe(
      'The meeting will take place in {1}Moscow{/1}.',
    );
  });

  it('parses safely: a DOCTYPE with entities is refused as 400 xliff_invalid', async () => {
    const task = await claimedTask();
    const evil = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">]><xliff version="2.0" srcLang="ru"><file id="${task._id}"><unit id="s0"><segment><source>&e;&a;</source></segment></unit></file></xliff>`;
    const res = await importOf(task, evil);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('xliff_invalid');
    const none = await importOf(task, '');
    expect(none.status).toBe(400);
  });
});

describe('XLIFF 1.2', () => {
  it('exports <g>/<x> with ctype and states, and imports what memoQ-style tools write back', async () => {
    const task = await claimedTask();
    const file = await exportOf(task, '1.2');
    expect(file).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"');
    expect(file).toContain('source-language="ru" target-language="en"');
    expect(file).toContain('<source>Заседание пройдёт в <g id="1" ctype="bold">Москве</g>.</source>');
    expect(file).toContain(
      '<source>Первая <g id="1" ctype="bold">строка<x id="2" ctype="lb"/>вторая</g> строка.</source>',
    );
    expect(file).toContain('<target state="needs-translation"></target>');
    // A second independent implementation, ilib-xliff, reads the units, states included.
    const ilib = new IlibXliff({ version: 1.2 });
    ilib.deserialize(file);
    expect(ilib.getTranslationUnits().map((u) => [u.source, u.state])).toEqual([
      ['Совет одобрил план', 'needs-translation'],
      ['Заседание пройдёт в Москве.', 'needs-translation'],
      ['Первая строкавторая строка.', 'needs-translation'], // ilib drops <x/>
      ['Совет одобрил план.', 'needs-translation'],
    ]);
    // The independent `xliff` package reads it, fills targets and writes 1.2 back.
    const js = (await xliff.xliff12ToJs(file)) as {
      resources: Record<string, Record<string, { source: unknown; target?: unknown }>>;
    };
    const units = Object.values(js.resources)[0];
    for (const seg of task.segments) units[`s${seg.i}`].target = toXliffJs12(TRANSLATIONS[seg.source]);
    const written = (await xliff.jsToXliff12(js, { indent: '' })) as string;
    expect(parseXliff(written).units).toHaveLength(4);
    const res = await importOf(task, written);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = (await findTask(task._id))!;
    expect(after.segments.map((s) => s.target)).toEqual(task.segments.map((s) => TRANSLATIONS[s.source]));

    // state="translated" (memoQ's confirmed) confirms.
    const confirmedFile = (await exportOf(after, '1.2')).replace(
      /<target state="needs-review-translation">/g,
      '<target state="translated">',
    );
    const res2 = await importOf(after, confirmedFile);
    expect(res2.status, JSON.stringify(res2.body)).toBe(200);
    expect((await findTask(task._id))!.segments.every((s) => s.status === 'confirmed')).toBe(true);
  });
});

/** Our placeholders as the `xliff` package's inline objects (2.0). */
function toXliffJs(text: string): unknown[] {
  return parts(text, (n, kind, inner) =>
    kind === 'empty'
      ? { Standalone: { id: n, dataRef: `d${n}e` } }
      : { Span: { id: n, dataRefStart: `d${n}`, dataRefEnd: `d${n}c`, contents: inner } },
  );
}
function toXliffJs12(text: string): unknown[] {
  return parts(text, (n, kind, inner) =>
    kind === 'empty' ? { Standalone: { id: n, ctype: 'lb' } } : { GenericSpan: { id: n, contents: inner } },
  );
}
function parts(
  text: string,
  code: (n: string, kind: 'empty' | 'span', inner: unknown) => unknown,
): unknown[] {
  const out: unknown[] = [];
  const re = /\{(\d+)\}(.*?)\{\/\1\}|\{(\d+)\/\}/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    // A span's contents are parsed the same way: codes nest.
    const inner = m[3] ? '' : parts(m[2], code);
    out.push(
      m[3]
        ? code(m[3], 'empty', '')
        : code(
            m[1],
            'span',
            (inner as unknown[]).length === 1 && typeof (inner as unknown[])[0] === 'string'
              ? (inner as string[])[0]
              : inner,
          ),
    );
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Fills every target of our 2.0 file with its translation, in the given state (as a CAT tool would). */
function fillTargets20(file: string, task: TaskDoc, state: string): string {
  for (const seg of task.segments) {
    const t = TRANSLATIONS[seg.source]
      .replace(/\{(\d+)\}/g, '<pc id="$1" dataRefStart="d$1" dataRefEnd="d$1c">')
      .replace(/\{\/\d+\}/g, '</pc>')
      .replace(/\{(\d+)\/\}/g, '<ph id="$1" dataRef="d$1e"/>');
    file = file.replace(
      new RegExp(
        `(<segment id="s${seg.i}g") state="[^"]*" subState="[^"]*">(<source>.*?</source>)(<target>.*?</target>)?`,
      ),
      `$1 state="${state}">$2<target>${t}</target>`,
    );
  }
  return file;
}
