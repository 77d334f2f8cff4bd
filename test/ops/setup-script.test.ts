import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Runs the real scripts/setup the way a new user does, in a copy of the repository's files it
 * reads, with a PATH we build: every tool the newsroom needs is a stub that just exits 0,
 * apt-get, sudo and npm are stubs that record their arguments, so nothing is installed for real.
 * Taking a stub away is a machine where that tool is missing.
 */
const repo = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const systemTools = ['bash', 'cat', 'cksum', 'dirname', 'uname'];
const stubbedPackages = ['redis-server', 'chromium', 'java', 'go', 'g++', 'make'];

function which(tool: string): string {
  const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error(`the test needs ${tool} on PATH`);
  return found;
}

function stub(bin: string, name: string, body: string) {
  const file = join(bin, name);
  // The stub itself may use the system's tools; the script under test sees only our PATH.
  writeFileSync(file, `#!${which('bash')}\nPATH="$PATH:/usr/bin:/bin"\n${body}\n`);
  chmodSync(file, 0o755);
}

interface Machine {
  root: string;
  bin: string;
  log: string;
  run(): { status: number | null; stdout: string; stderr: string };
  calls(): string[];
}

/** A checkout with the files setup reads and a PATH with every tool present, as root on Debian. */
function machine(): Machine {
  const root = mkdtempSync(join(tmpdir(), 'newsroom-setup-'));
  dirs.push(root);
  const bin = join(root, 'path');
  const log = join(root, 'calls.log');
  mkdirSync(join(root, 'scripts'));
  mkdirSync(bin);
  copyFileSync(join(repo, 'scripts', 'setup'), join(root, 'scripts', 'setup'));
  copyFileSync(join(repo, 'package-lock.json'), join(root, 'package-lock.json'));
  for (const tool of systemTools) symlinkSync(which(tool), join(bin, tool));
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const tool of stubbedPackages) stub(bin, tool, 'exit 0');
  stub(bin, 'python3', 'exit 0');
  stub(bin, 'dpkg-query', '[ "$3" = python3-feedparser ] && echo installed');
  stub(bin, 'id', '[ "$1" = -u ] && echo 0');
  // apt-get "installs" a package by putting a stub for it on PATH.
  stub(
    bin,
    'apt-get',
    `echo "apt-get $*" >> ${log}
if [ "$1" = install ]; then
  for p in "$@"; do [ "$p" = redis-server ] && printf '#!${which('bash')}\\nexit 0\\n' > ${bin}/redis-server && chmod +x ${bin}/redis-server; done
fi
exit 0`,
  );
  stub(
    bin,
    'npm',
    `echo "npm $* GOTOOLCHAIN=$GOTOOLCHAIN" >> ${log}
mkdir -p node_modules .bin && printf '#!/bin/sh\\n' > .bin/newsroom-store && chmod +x .bin/newsroom-store`,
  );
  return {
    root,
    bin,
    log,
    run() {
      const result = spawnSync(join(bin, 'bash'), [join(root, 'scripts', 'setup')], {
        cwd: tmpdir(),
        env: { PATH: bin, HOME: root },
        encoding: 'utf8',
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    calls() {
      return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
    },
  };
}

describe('scripts/setup', () => {
  it('is quiet when everything is present, runs npm ci once and not again for the same lock file', () => {
    const m = machine();
    const first = m.run();
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('');
    expect(first.status).toBe(0);
    expect(m.calls()).toEqual(['npm ci --no-audit --no-fund --loglevel=error GOTOOLCHAIN=auto']);

    const again = m.run();
    expect(again).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(m.calls()).toHaveLength(1);

    // A changed lock file installs again.
    writeFileSync(join(m.root, 'package-lock.json'), '{"changed":true}\n');
    expect(m.run().status).toBe(0);
    expect(m.calls()).toHaveLength(2);
  });

  it('installs a missing redis-server with apt-get as root, then runs npm ci', () => {
    const m = machine();
    unlinkSync(join(m.bin, 'redis-server'));
    const result = m.run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('setup: installing redis-server\n');
    expect(m.calls()).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends redis-server',
      'npm ci --no-audit --no-fund --loglevel=error GOTOOLCHAIN=auto',
    ]);
  });

  it('asks for python3-feedparser when Debian has not installed it', () => {
    const m = machine();
    stub(m.bin, 'dpkg-query', 'echo not-installed');
    const result = m.run();
    expect(result.status).toBe(1); // the stub apt-get does not make the import work
    expect(m.calls()).toContain('apt-get install -y -qq --no-install-recommends python3-feedparser');
    expect(result.stderr).toContain('still missing after apt-get install: python3-feedparser');
  });

  it('uses sudo when not root', () => {
    const m = machine();
    unlinkSync(join(m.bin, 'redis-server'));
    stub(m.bin, 'id', 'echo 1000');
    stub(m.bin, 'sudo', `echo "sudo $*" >> ${m.log}; exec "$@"`);
    const result = m.run();
    expect(result.status).toBe(0);
    expect(m.calls().slice(0, 2)).toEqual(['sudo apt-get update -qq', 'apt-get update -qq']);
    expect(m.calls()).toContain('sudo apt-get install -y -qq --no-install-recommends redis-server');
  });

  it('prints the exact apt-get commands and stops when it cannot become root', () => {
    const m = machine();
    unlinkSync(join(m.bin, 'redis-server'));
    stub(m.bin, 'id', 'echo 1000');
    const result = m.run();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('missing system packages: redis-server');
    expect(result.stderr).toContain('sudo apt-get update\n');
    expect(result.stderr).toContain('sudo apt-get install -y --no-install-recommends redis-server\n');
    expect(m.calls()).toEqual([]); // neither apt-get nor npm ci ran
  });

  it('prints the Homebrew command on macOS and stops', () => {
    const m = machine();
    unlinkSync(join(m.bin, 'redis-server'));
    unlinkSync(join(m.bin, 'apt-get'));
    unlinkSync(join(m.bin, 'uname'));
    stub(m.bin, 'uname', 'echo Darwin');
    const result = m.run();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('not a Debian/Ubuntu machine');
    expect(result.stderr).toBe('  brew install redis\n');
    expect(m.calls()).toEqual([]);
  });
});
