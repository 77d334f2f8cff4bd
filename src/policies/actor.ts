import type { Role } from '../models/user.js';

/** Who is acting: a desk user (session or bearer token) or the system itself (jobs). */
export interface Actor {
  id: string;
  name: string;
  roles: Role[];
  /** Language pairs such as `ru:en`. */
  pairs: string[];
}

/** The actor of work done by jobs and the outbox, recorded in histories as `system`. */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'System', roles: ['admin'], pairs: [] };
