import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { importStream, type ImportSummary } from '../commands/import-stories.js';
import { createUser, disableUser, setUserPassword } from '../commands/create-user.js';
import { issueApiToken, revokeApiToken } from '../workflow/api-tokens.js';
import { AppError } from '../errors.js';
import { ImportFileError, type Rejection } from '../import/parse-import-file.js';
import { readImportFile, scanImportFile } from '../import/read-import-file.js';
import { createLogger } from '../logger.js';
import { rebuildReleaseIndex } from '../read-models/release-index.js';
import { rebuildSearchIndex } from '../search/search-index.js';
import { dropReadModel } from '../redis/keys.js';
import { bootRuntime, type Runtime } from '../runtime.js';
import type { Role } from '../models/user.js';
import { SYSTEM_ACTOR } from '../policies/actor.js';
import { assertConfiguredPair } from '../policies/resource-policy.js';
import { TmxError } from '../exchange/tmx.js';
import { exportTmx, importTmx } from '../workflow/tm/tm-entries.js';
import { ensureMemoryIndex } from '../workflow/translation-memory.js';
import type { Actor } from '../policies/actor.js';
import { createPasswordLink, editUser, listUsers, setUserDisabled } from '../commands/manage-users.js';

const USAGE = `Usage: npm run newsroom -- <command>
  import FILE                         load stories (format: src/import/import.schema.json)
  user add --email E --name N --role R [--role R] [--pair ru:en] [--password P] [--token]
  user password --email E [--password P] set a new password (printed when generated)
  user list [--role R] [--pair ru:en] [--disabled | --active] [--search TEXT]
  user edit --email E [--name N] [--role R ...] [--pair ru:en ...] [--no-pairs]
  user disable --email E [--enable]   disable (sessions and tokens stop at once) or re-enable
  user reset-password --email E       print a one-time link (24 h) to set a new password
  token add --email E                 print a new API bearer token for an existing user
  token revoke TOKEN|PREFIX           revoke an API token (the token or its printed nrt_… prefix)
  reindex                             rebuild the Redis read model from MongoDB
  tm export --pair ru:en [--out FILE] write the pair's translation memory as TMX 1.4b (stdout by default)
  tm import --pair ru:en FILE         add a TMX file's units for the pair to the translation memory`;

/** The command line acts as an administrator, recorded as `cli` in the audit log. */
const CLI_ACTOR: Actor = { id: 'cli', name: 'Command line', roles: ['admin'], pairs: [] };

const userCommands: Record<string, (args: string[], config: Config) => Promise<number>> = {
  async list(args, config) {
    const { values } = parseArgs({
      args,
      options: {
        role: { type: 'string' },
        pair: { type: 'string' },
        disabled: { type: 'boolean' },
        active: { type: 'boolean' },
        search: { type: 'string' },
      },
    });
    return withRuntime(config, async () => {
      const users = await listUsers({
        role: values.role,
        pair: values.pair,
        status: values.disabled ? 'disabled' : values.active ? 'active' : undefined,
        q: values.search,
      });
      for (const u of users) {
        console.log(
          [
            u._id,
            u.name,
            (u.roles ?? []).join(',') || '-',
            (u.pairs ?? []).join(',') || '-',
            u.disabled ? 'disabled' : 'active',
          ].join('\t'),
        );
      }
      console.log(`user list: ${users.length} user(s)`);
      return 0;
    });
  },
  async edit(args, config) {
    const { values } = parseArgs({
      args,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', multiple: true },
        pair: { type: 'string', multiple: true },
        'no-pairs': { type: 'boolean' },
      },
    });
    if (!values.email) return fail('user edit: name the user with --email');
    return withRuntime(config, async ({ ctx }) => {
      const u = await editUser(ctx, CLI_ACTOR, values.email!, {
        name: values.name,
        roles: values.role as Role[] | undefined,
        pairs: values['no-pairs'] ? [] : values.pair,
      });
      console.log(
        `user ${u._id}: roles ${(u.roles ?? []).join(', ')}; pairs ${(u.pairs ?? []).join(', ') || 'none'}`,
      );
      return 0;
    });
  },
  async disable(args, config) {
    const { values } = parseArgs({
      args,
      options: { email: { type: 'string' }, enable: { type: 'boolean' } },
    });
    if (!values.email) return fail('user disable: name the user with --email');
    return withRuntime(config, async ({ ctx }) => {
      const u = await setUserDisabled(ctx, CLI_ACTOR, values.email!, !values.enable);
      console.log(`user ${u._id}: ${u.disabled ? 'disabled (sessions and tokens stopped)' : 'enabled'}`);
      return 0;
    });
  },
  async 'reset-password'(args, config) {
    const { values } = parseArgs({ args, options: { email: { type: 'string' } } });
    if (!values.email) return fail('user reset-password: name the user with --email');
    return withRuntime(config, async ({ ctx }) => {
      const link = await createPasswordLink(ctx, CLI_ACTOR, values.email!);
      console.log(`one-time link (valid 24 h, shown once): ${link}`);
      return 0;
    });
  },
};

/** Each command returns its exit code. */
const commands: Record<string, (args: string[], config: Config) => Promise<number>> = {
  async import(args, config) {
    const file = args[0];
    if (!file) return fail('import: name the file to import');
    // Each batch's records, documents and index commands live across awaits, so they are
    // promoted to the old space and die there; V8 lets that space grow to 4x the live heap
    // before collecting it (a 489 MB peak for 5,000 stories, ~80 MB live). Growing by half
    // instead kept the peak at 275 MB (docs/benchmarks.md, Import). Read at every GC, so it
    // takes effect when set here, unlike a heap-size cap.
    setFlagsFromString('--heap-growing-percent=50');
    let records: number;
    try {
      // A first pass: a file that is not JSON or not `{ "stories": [...] }` imports nothing.
      ({ records } = await scanImportFile(file));
    } catch (err) {
      if (err instanceof ImportFileError) return fail(`import: ${file}: ${err.message}`);
      const code = (err as NodeJS.ErrnoException).code;
      if (code) return fail(`import: cannot read ${file}: ${code}`);
      throw err;
    }
    return withRuntime(config, async ({ ctx }) => {
      const started = Date.now();
      const rejectedInFile: Rejection[] = [];
      const progress = importProgress(records, started);
      const summary = await importStream(
        ctx,
        readImportFile(file, config.languages, rejectedInFile),
        (done, so) => progress.update(done + rejectedInFile.length, so),
        // Picture paths in the file are relative to its directory.
        { baseDir: dirname(resolve(file)) },
      );
      progress.stop();
      const rejected = [...rejectedInFile, ...summary.rejected].sort((a, b) => a.index - b.index);
      for (const r of rejected) {
        console.error(
          `import: record ${r.index + 1} (index ${r.index}${r.externalId ? `, externalId ${r.externalId}` : ''}) rejected: ${r.reason}`,
        );
      }
      for (const p of summary.pictures) {
        console.error(
          `import: record ${p.index + 1} (index ${p.index}, externalId ${p.externalId}) imported without its ${p.role === 'lead' ? 'lead picture' : 'inline picture'} ${p.src}: ${p.code}: ${p.reason}`,
        );
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `import: ${records} records: ${summary.created} created, ` +
          `${summary.updated} updated, ${summary.unchanged} unchanged` +
          (summary.reindexed ? ` (${summary.reindexed} versions re-indexed)` : '') +
          `, ${rejected.length} rejected` +
          (summary.pictures.length ? `, ${summary.pictures.length} pictures left out` : '') +
          ` (${seconds} s, peak memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)`,
      );
      return rejected.length > 0 || summary.pictures.length > 0 ? 2 : 0;
    });
  },

  async user(args, config) {
    const [sub, ...rest] = args;
    if (sub === 'password') return changeUser(sub, rest, config);
    if (sub && sub !== 'add' && sub in userCommands) return userCommands[sub](rest, config);
    if (sub !== 'add') return fail(`user: unknown subcommand '${sub ?? ''}'\n${USAGE}`);
    const { values } = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', multiple: true },
        pair: { type: 'string', multiple: true },
        password: { type: 'string' },
        token: { type: 'boolean' },
      },
    });
    const password = values.password ?? crypto.randomUUID();
    return withRuntime(config, async () => {
      const user = await createUser(
        {
          email: values.email ?? '',
          name: values.name ?? values.email ?? '',
          password,
          roles: (values.role ?? []) as Role[],
          pairs: values.pair ?? [],
        },
        config.languages,
      );
      console.log(
        `user ${user.email} created (roles ${user.roles.join(', ')}; pairs ${user.pairs.join(', ') || 'none'})`,
      );
      if (!values.password) console.log(`password: ${password}`);
      if (values.token) console.log(`token: ${await issueApiToken(user._id)}  (shown once; stored hashed)`);
      return 0;
    });
  },

  async token(args, config) {
    const [sub, ...rest] = args;
    if (sub === 'add') {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' } } });
      if (!values.email) return fail('token add: name the user with --email');
      return withRuntime(config, async () => {
        console.log(`token: ${await issueApiToken(values.email!)}  (shown once; stored hashed)`);
        return 0;
      });
    }
    if (sub === 'revoke' && rest[0]) {
      return withRuntime(config, async () => {
        const n = await revokeApiToken(rest[0]);
        if (n === 0) return fail('token revoke: no such token');
        console.log(`token revoke: ${n} token(s) revoked`);
        return 0;
      });
    }
    return fail(`token: use 'token add --email E' or 'token revoke TOKEN'\n${USAGE}`);
  },

  async tm(args, config) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      options: { pair: { type: 'string' }, out: { type: 'string' } },
      allowPositionals: true,
    });
    if (!values.pair) return fail(`tm: name the pair with --pair from:to\n${USAGE}`);
    const pair = values.pair;
    try {
      assertConfiguredPair(config, pair);
    } catch (err) {
      if (err instanceof AppError) return fail(`tm: ${err.message}`);
      throw err;
    }
    if (sub === 'export') {
      return withRuntime(config, async () => {
        const xml = await exportTmx(pair);
        if (values.out) writeFileSync(values.out, xml);
        else process.stdout.write(xml);
        return 0;
      });
    }
    if (sub === 'import') {
      const file = positionals[0];
      if (!file) return fail('tm import: name the TMX file');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        return fail(`tm import: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      return withRuntime(config, async ({ ctx }) => {
        try {
          const report = await importTmx(ctx, SYSTEM_ACTOR, pair, text, basename(file));
          for (const s of report.skipped)
            console.error(`tm import: <tu> ${s.tu} (line ${s.line}) skipped: ${s.reason}`);
          console.log(
            `tm import: ${report.added} entries added or updated, ${report.skipped.length} skipped`,
          );
          return report.skipped.length > 0 ? 2 : 0;
        } catch (err) {
          if (err instanceof TmxError) return fail(`tm import: ${file}: ${err.message}`);
          throw err;
        }
      });
    }
    return fail(`tm: unknown subcommand '${sub ?? ''}'\n${USAGE}`);
  },

  async reindex(_args, config) {
    return withRuntime(config, async ({ ctx }) => {
      const n = await rebuildReleaseIndex(ctx);
      await rebuildSearchIndex(ctx);
      // A rerun reads the import hashes it needs from MongoDB again (after a restore, say).
      await dropReadModel(ctx.redis, ctx.keys, 'import');
      const tm = await ensureMemoryIndex(ctx, true);
      await ctx.pageCache.invalidateAll();
      console.log(`reindex: ${n} published releases, ${tm} translation-memory entries indexed`);
      return 0;
    });
  },
};

/** `user password` and `user disable`: the way out of a demo account refused in production. */
async function changeUser(sub: 'password' | 'disable', rest: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, password: { type: 'string' } },
  });
  if (!values.email) return fail(`user ${sub}: name the user with --email`);
  const email = values.email.toLowerCase();
  return withRuntime(config, async () => {
    if (sub === 'disable') await disableUser(email);
    else {
      const password = values.password ?? randomBytes(18).toString('base64url');
      await setUserPassword(email, password);
      if (!values.password) console.log(`password: ${password}`);
    }
    console.log(`user ${email}: ${sub === 'disable' ? 'disabled' : 'password changed'}`);
    return 0;
  });
}

/**
 * Progress of an import: a bar on a terminal, else a line on stderr every 10 seconds (and
 * after the first batch), for logs of long runs.
 */
function importProgress(total: number, started: number) {
  if (process.stdout.isTTY) {
    const bar = new SingleBar(
      { format: 'import [{bar}] {value}/{total} records  {eta}s left' },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done: number) => bar.update(done), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update(done: number, s: ImportSummary) {
      const now = Date.now();
      if (last && now - last < 10_000 && done < total) return;
      last = now;
      console.error(
        `import: ${done}/${total} records (${s.created} created, ${s.updated} updated, ` +
          `${s.unchanged} unchanged) after ${((now - started) / 1000).toFixed(0)} s`,
      );
    },
    stop: () => undefined,
  };
}

async function withRuntime(config: Config, fn: (runtime: Runtime) => Promise<number>): Promise<number> {
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'newsroom-cli');
  const runtime = await bootRuntime(config, log, { relay: false, localPageCache: false });
  try {
    return await fn(runtime);
  } catch (err) {
    if (err instanceof AppError) return fail(err.message);
    throw err;
  } finally {
    await runtime.close();
  }
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) return fail(name ? `unknown command '${name}'\n${USAGE}` : USAGE);
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  return command(args, config);
}

process.exitCode = await main();
