/**
 * Test-only fault injection: with `NEWSROOM_FAULT_STOP_AT=<name>`, the process stops itself
 * (SIGSTOP) when it reaches `faultPoint(<name>)`, so a test can SIGKILL it exactly between two
 * writes instead of hoping a random kill lands there. Config refuses the variable in
 * production; unset, a fault point is one string comparison.
 */
const stopAt = process.env.NEWSROOM_FAULT_STOP_AT;

export function faultPoint(name: string): void {
  if (stopAt === name) process.kill(process.pid, 'SIGSTOP');
}
