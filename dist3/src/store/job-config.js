/** The one reader of a job's `config` column. */
export const readJobConfig = (job) => JSON.parse(typeof job === 'string' ? job : job.config);
//# sourceMappingURL=job-config.js.map