/** One variable that does not fit its rule. */
export interface ConfigIssue {
  readonly variable: string;
  /** `VARIABLE: rule (got "value")`, ready to print. */
  readonly message: string;
}

/** Thrown once with every bad variable, so a start fails with the whole list at once. */
export class ConfigValidationError extends Error {
  readonly code = 'INVALID_CONFIGURATION';

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(['Invalid configuration:', ...issues.map((issue) => `  ${issue.message}`)].join('\n'));
    this.name = 'ConfigValidationError';
  }
}
