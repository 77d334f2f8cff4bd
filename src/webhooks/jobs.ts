import { webhookDeliverJob } from './webhook-deliver.job.js';
import { webhookOverdueCheckJob } from './overdue-check.job.js';

/** The webhook jobs, for the registry (`JOBS`) and for tests that start only these. */
export const WEBHOOK_JOBS = [webhookDeliverJob, webhookOverdueCheckJob];
