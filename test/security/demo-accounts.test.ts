import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserPassword } from '../../src/commands/create-user.js';
import { loadConfig } from '../../src/config.js';
import { DEMO_USERS, demoAccountsWithKnownPasswords } from '../../src/demo/demo-accounts.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { verifyPassword } from '../../src/lib/passwords.js';
import { User } from '../../src/models/user.js';
import { spawnNewsroom } from '../support/spawn-newsroom.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

const SECRET = 's'.repeat(40);
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ NODE_ENV: 'production', SESSION_SECRET: SECRET, SEED_DEMO: '1' });
});
afterAll(async () => {
  await rt?.close();
});

describe('no known-password accounts in production (issue 8 item 5)', () => {
  it('seeds demo content by default only outside production', () => {
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).SEED_DEMO).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, SEED_DEMO: '1' }).SEED_DEMO).toBe(
      true,
    );
  });

  it('gives demo users in production random passwords and never the admin role', async () => {
    const seeded = await seedDemo(rt.ctx);
    expect(seeded?.map((u) => u.email).sort()).toEqual(DEMO_USERS.map((u) => u.email).sort());
    for (const demo of DEMO_USERS) {
      const user = await User.findById(demo.email).lean();
      expect(user!.roles).not.toContain('admin');
      expect(await verifyPassword(user!.passwordHash, demo.password)).toBe(false);
      const printed = seeded!.find((u) => u.email === demo.email)!.password;
      expect(await verifyPassword(user!.passwordHash, printed)).toBe(true);
    }
    expect(await demoAccountsWithKnownPasswords()).toEqual([]);
  }, 300_000);

  it('refuses to start in production while a demo account has its published password', async () => {
    const demo = DEMO_USERS[0];
    await setUserPassword(demo.email, demo.password, { checkStrength: false });
    const web = spawnNewsroom('src/bin/web.ts', {
      ...rt.env,
      NODE_ENV: 'production',
      SESSION_SECRET: SECRET,
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    const { code } = await web.exited;
    expect(code).toBe(1);
    expect(web.output()).toContain('refusing to start in production');
    expect(web.output()).toContain(demo.email);
    expect(web.output()).not.toMatch(/listening on/);
  }, 300_000);
});
