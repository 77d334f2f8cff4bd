import 'express-session';

declare module 'express-session' {
  /** What the desk keeps in a signed-in session (stored in Redis, never in the cookie). */
  interface SessionData {
    /** The signed-in user's `_id` (lower-cased e-mail). */
    userId?: string;
    /** The user's `sessionEpoch` at sign-in; a later disable or password reset ends the session. */
    userEpoch?: number;
    /** Desk interface language chosen by the user. */
    deskLang?: string;
    /** A one-time notice shown on the next desk page (after a redirect). */
    flash?: { kind: 'ok' | 'error'; text: string };
    /** What the last TMX/TBX import on the resources screens skipped, shown once. */
    tmReport?: { tu: number; line: number; reason: string }[];
    /** A secret shown to an admin once (a password link or a new API token), then forgotten. */
    shownOnce?: { kind: 'link' | 'token'; value: string };
  }
}
