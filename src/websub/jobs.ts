import { websubDeliverJob } from './websub-deliver.job.js';
import { websubPublishJob } from './websub-publish.job.js';
import { websubVerifyJob } from './websub-verify.job.js';

/** The syndication jobs, for the registry (`JOBS`) and for tests that start only these. */
export const WEBSUB_JOBS = [websubVerifyJob, websubPublishJob, websubDeliverJob];
