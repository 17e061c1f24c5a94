/** The shapes of a quota profile (--quotas): types only, so that config and operations can name them without the model. */

export interface RateEntry {
  /** Tokens per second. */
  rate: number;
  /** Bucket size; the rate (at least 1) unless AWS documents otherwise. */
  burst: number;
  /** A group that AWS limits together: these `service:Operation`s share this bucket. */
  operations?: string[];
  /** `thing`: one bucket per thing name (requests that name one), instead of one per account. */
  per?: 'account' | 'thing';
  /** Where the number comes from (documented, or unknown and chosen by iot-jobs). */
  source?: string;
}

export interface JobQuota {
  limit: number;
  source?: string;
}

export interface JobQuotas {
  /** IN_PROGRESS and SCHEDULED jobs by target selection [JLIM; numbers LIM19]. */
  activeSnapshotJobs?: JobQuota;
  activeContinuousJobs?: JobQuota;
  /** Jobs rolling out or canceling executions (isConcurrent) [JLIM]. */
  concurrentJobs?: JobQuota;
  /** Pending executions in a thing's list (GetPendingJobExecutions, notify) with a scheduling configuration [JLIM]. */
  pendingListWithScheduling?: JobQuota;
  /** ... in a ListNotification while a maintenance window is open [JLIM]. */
  pendingListInWindow?: JobQuota;
  /** Substitution placeholders (`${aws:iot:s3-presigned-url:...}`) in one job document [guide]. */
  documentPlaceholders?: JobQuota;
}

export interface QuotaProfile {
  rates: Record<string, RateEntry>;
  jobs: JobQuotas;
}
