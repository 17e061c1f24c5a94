import type { AbortConfig } from '../domain/abort.js';
import type { RolloutConfig } from '../domain/rollout.js';
import type { SchedulingConfig } from '../domain/schedule.js';
import type { RetryCriterion } from '../domain/timeouts.js';

/** The orchestration and template configs a job keeps in its `config` column (CreateJob / UpdateJob). */
export interface JobConfig {
  presignedUrlConfig?: { roleArn?: string; expiresInSec?: number };
  jobExecutionsRolloutConfig?: RolloutConfig;
  abortConfig?: AbortConfig;
  timeoutConfig?: { inProgressTimeoutInMinutes?: number };
  jobExecutionsRetryConfig?: { criteriaList?: RetryCriterion[] };
  schedulingConfig?: SchedulingConfig;
  jobTemplateArn?: string;
  documentParameters?: Record<string, string>;
  destinationPackageVersions?: string[];
}

/** The one reader of a job's `config` column. */
export const readJobConfig = (job: { config: string } | string): JobConfig => JSON.parse(typeof job === 'string' ? job : job.config) as JobConfig;
