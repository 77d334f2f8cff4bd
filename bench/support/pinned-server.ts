/**
 * What the page benchmarks share (method: /work/shared/BENCHMARKING.md): a compiled build in a
 * git-ignored folder, a production environment on a fresh data dir, processes pinned to CPU 0,
 * autocannon from this process (run it pinned to CPU 1), and the measurements we report.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The part of autocannon's API the benchmarks use (the package ships no types). */
export interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx?: number;
  statusCodeStats?: Record<string, { count: number }>;
}
export interface LoadOptions {
  url: string;
  connections: number;
  duration?: number;
  /** Stop after this many requests instead of after `duration`. */
  amount?: number;
  headers?: Record<string, string>;
  requests?: { setupRequest: (req: { path: string }) => { path: string } }[];
}
export const autocannon = createRequire(import.meta.url)('autocannon') as (
  o: LoadOptions,
) => Promise<LoadResult>;

/**
 * The `node` flags production starts the web and worker processes with (Dockerfile, package.json
 * scripts): V8's new space is sized at start only, so it cannot be set from inside the process.
 */
export const SERVICE_NODE_ARGS = ['--max-semi-space-size=4'];

const TICK = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** The fields of /proc/<pid>/stat after the command name (`undefined`: the process is gone). */
function statOf(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU ms a process has used so far (user + system); 0 once it is gone. */
export function cpuMs(pid: number): number {
  const fields = statOf(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) * TICK : 0;
}

/** Every live descendant of a process, with its command name (`comm`). */
export function descendants(root: number): { pid: number; comm: string }[] {
  const children = new Map<number, { pid: number; comm: string }[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statOf(pid);
    if (!fields) continue;
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), { pid, comm }]);
  }
  const out: { pid: number; comm: string }[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

/** Production settings for a server on `port` with its embedded stores under `work/data`. */
export const benchEnv = (work: string, port: number): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  SESSION_SECRET: 'bench-only-secret-0123456789abcdef0123456789',
  NEWSROOM_DATA_DIR: join(work, 'data'),
  SEED_DEMO: '0',
  PORT: String(port),
  PUBLIC_URL: `http://127.0.0.1:${port}`,
});

export const sh = (cmd: string, args: string[], env: NodeJS.ProcessEnv) =>
  execFileSync(cmd, args, { cwd: ROOT, env, stdio: 'inherit' });

/** Compiles the server into `outDir` (type errors elsewhere do not stop the emit). */
export function build(outDir: string, env: NodeJS.ProcessEnv): void {
  try {
    sh('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', outDir, '--noEmitOnError', 'false'], env);
  } catch {
    console.log('(tsc reported type errors elsewhere; emitted JavaScript is used)');
  }
}

/** Starts a process pinned to CPU 0 and resolves once its output matches `ready`. */
export function startPinned(args: string[], ready: RegExp, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn('taskset', ['-c', '0', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const on = (d: Buffer) => {
      out += d;
      if (ready.test(out)) resolve(child);
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

/** Resident memory of a process, in MB. */
export const rssMb = (pid: number) =>
  Math.round(
    Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
        .toString()
        .trim(),
    ) / 1024,
  );

/** Response headers a replaying ceiling server should send (connection-level ones left out). */
export function replayHeaders(h: Headers): Record<string, string> {
  const headers: Record<string, string> = {};
  h.forEach((v, k) => {
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)) headers[k] = v;
  });
  return headers;
}

/**
 * Spawns a bench process (`cmd` already pinned by the caller) and resolves once its output
 * matches `ready` (at once when there is none), or rejects when it exits first; its stderr
 * chunks that `echo` accepts are passed on. `children` tracks it until it exits.
 */
export function startChild(
  cmd: string[],
  env: NodeJS.ProcessEnv,
  opts: { children: Set<ChildProcess>; ready?: RegExp; echo?: (chunk: string) => boolean },
): Promise<ChildProcess> {
  const [file, ...args] = cmd;
  const child = spawn(file!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  opts.children.add(child);
  child.once('exit', () => opts.children.delete(child));
  let out = '';
  return new Promise((resolve, reject) => {
    const on = (d: Buffer) => {
      out += d;
      if (out.length > 100_000) out = out.slice(-50_000);
      if (opts.ready?.test(out)) resolve(child);
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', (d: Buffer) => {
      on(d);
      if (opts.echo?.(String(d))) process.stderr.write(d);
    });
    child.once('exit', (code) => reject(new Error(`${cmd.join(' ')} exited ${code}: ${out.slice(-2000)}`)));
    child.once('spawn', () => opts.ready === undefined && resolve(child));
  });
}

/** Stops a child (if still running) and resolves once it has exited. */
export async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** Polls `fn` every 50 ms until it returns something truthy; throws after `ms`. */
export async function until<T>(fn: () => Promise<T>, ms: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the embedded stores (bench/support/stores.ts) under `work`, pinned by `pin`. */
export async function startStores(
  work: string,
  children: Set<ChildProcess>,
  pin: (args: string[]) => string[] = (a) => a,
): Promise<{ proc: ChildProcess; mongoUri: string; redisUrl: string }> {
  const script = join(ROOT, 'bench/support/stores.ts');
  const proc = await startChild(pin([process.execPath, '--import', 'tsx', script, work]), process.env, {
    children,
    ready: /"redisUrl"/,
  });
  const urls = JSON.parse(readFileSync(join(work, 'stores.json'), 'utf8')) as {
    mongoUri: string;
    redisUrl: string;
  };
  return { proc, ...urls };
}

/** The CLI arguments that add the editor whose API token the bench edits with. */
export const BENCH_EDITOR = [
  'user',
  'add',
  '--email',
  'bench@example.org',
  '--name',
  'Bench',
  '--role',
  'editor',
  '--token',
];

/**
 * Runs a bench's `main` and exits: 0 when it finished, 1 after printing its error and killing
 * the processes it left running.
 */
export async function runBench(main: () => Promise<unknown>, children: Set<ChildProcess>): Promise<never> {
  try {
    await main();
    process.exit(0);
  } catch (err) {
    console.error(err);
    for (const c of children) c.kill('SIGKILL');
    process.exit(1);
  }
}
