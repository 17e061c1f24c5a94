import { invalidRequest } from '../errors.js';
import { retryConfigProblem } from '../domain/timeouts.js';
/** timeoutConfig and jobExecutionsRetryConfig beyond what the model's ranges check (AWS IoT Jobs developer guide; the choices in docs/compatibility.md). */
export function checkTimeConfigs(input) {
    const minutes = input.timeoutConfig?.inProgressTimeoutInMinutes;
    if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > 10080))
        throw invalidRequest('timeoutConfig.inProgressTimeoutInMinutes must be between 1 and 10080');
    const criteria = input.jobExecutionsRetryConfig?.criteriaList;
    const problem = criteria ? retryConfigProblem(criteria) : undefined;
    if (problem)
        throw invalidRequest(problem);
}
export function checkDocument(document) {
    if (Buffer.byteLength(document, 'utf8') > 32768)
        throw invalidRequest('The job document exceeds the maximum size of 32 KB');
    try {
        JSON.parse(document);
    }
    catch {
        throw invalidRequest('The job document is not valid JSON');
    }
}
//# sourceMappingURL=job-checks.js.map