import { createHmac } from 'node:crypto';

/** `X-Hub-Signature` value for a pushed body: `sha256=<hex HMAC of the body with the secret>`. */
export const hubSignature = (secret: string, body: Buffer | string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
