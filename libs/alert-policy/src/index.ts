// The alert policy: account facts in, alert commands out, exactly once.
export { ALERT_POLICY_NAME, AlertPolicy } from './alert-policy.js';
export type { AlertCommandSink } from './alert-policy.js';
export { AlertPolicyModule } from './alert-policy.module.js';
export { AlertPolicyRunner } from './alert-policy.runner.js';
export type { AlertPolicyRunnerOptions } from './alert-policy.runner.js';
export { AlertPolicyState } from './alert-policy-state.js';
