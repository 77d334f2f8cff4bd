import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupMemory } from '../../src/workflow/translation-memory.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

const run = promisify(execFile);
let rt: TestRuntime;
const fixture = new URL('./fixtures/from-other-tool.tmx', import.meta.url).pathname;

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
});
afterAll(async () => {
  await rt?.close();
});

const cli = (...args: string[]) =>
  run('npx', ['tsx', 'src/bin/newsroom.ts', ...args], { env: { ...process.env, ...rt.env } }).then(
    (r) => ({ code: 0, ...r }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );

describe('tm CLI', () => {
  it('imports a TMX file (exit 2 when units were skipped) and exports the pair', async () => {
    const imported = await cli('tm', 'import', '--pair', 'ru:en', fixture);
    expect(imported.code).toBe(2);
    expect(imported.stdout).toContain('3 entries added or updated, 1 skipped');
    expect(imported.stderr).toContain('<tu> 4');
    expect((await lookupMemory(rt.ctx, 'ru:en', 'Подробнее см. на сайте{1/}организации.'))[0].score).toBe(1);
    const out = join(mkdtempSync(join(tmpdir(), 'tmx-')), 'ru-en.tmx');
    const exported = await cli('tm', 'export', '--pair', 'ru:en', '--out', out);
    expect(exported.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Council of Foreign Ministers');
    const bad = await cli('tm', 'export', '--pair', 'en:ru');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("'en:ru' is not a configured language pair");
  }, 300_000); // three CLI processes, each booting the runtime, on a shared 2-core machine
});
