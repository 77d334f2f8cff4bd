import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';

/**
 * Keeps `npm run bench` working: the whole harness at a tiny size (30 stories, 1 s per case,
 * from source, nothing written). No timing is asserted — only that every case ran on both
 * servers twice without errors and the extra measurements were taken.
 */
describe('npm run bench (smoke size)', () => {
  it('runs every case twice against the newsroom and the ceiling', { timeout: 900_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code, out).toBe(0);
    const line = out.split('\n').find((l) => l.startsWith('smoke summary: '));
    expect(line, out).toBeDefined();
    const summary = JSON.parse(line!.slice('smoke summary: '.length));
    expect(summary.rows).toBe(40); // 10 cases × 2 runs × (newsroom, ceiling)
    // The gzip client's first-touch case was answered with the stored gzip, not the plain body.
    expect(summary.firstTouchBytes.gzip).toBeGreaterThan(0);
    expect(summary.firstTouchBytes.gzip).toBeLessThan(summary.firstTouchBytes.plain / 2);
    expect(summary.notes.publishToVisible.publishes).toBe(3);
    expect(summary.notes.memory.webRssMb).toBeGreaterThan(0);
    expect(summary.notes.renderOnPublish.storedPages).toBeGreaterThan(0);
    // Read your own writes across processes, under the churn case: no stale read after a 2xx.
    for (const key of ['churn run 1', 'churn run 2', 'churn gzip run 1', 'churn gzip run 2']) {
      const churn = summary.notes[key];
      expect(churn, key).toBeDefined();
      expect(churn.readsAfter2xx).toBe(churn.edits);
      expect(churn.stale).toBe(0);
    }
    for (const line of out.split('\n').filter((l) => / \| run \d \| /.test(l)))
      expect(line, 'no errors in a case').toMatch(/errors 0$/);
  });
});
