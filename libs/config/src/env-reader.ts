import type { Rule } from './config-rules.js';
import { ConfigValidationError, type ConfigIssue } from './config-validation.error.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ReadOptions {
  /** Keep the value out of error messages (keys, passwords, secrets). */
  readonly secret?: boolean;
}

/**
 * Reads variables one by one and collects every problem instead of stopping at the first,
 * so a misconfigured start reports all bad variables together. Empty values count as unset.
 */
export class EnvReader {
  private readonly issues: ConfigIssue[] = [];

  constructor(private readonly env: Environment) {}

  /** The value of `variable`, or `fallback` when unset (or invalid: the error is recorded). */
  read<T>(variable: string, rule: Rule<T>, fallback: T, options?: ReadOptions): T {
    return this.optional(variable, rule, options) ?? fallback;
  }

  /** The value of `variable`, or `undefined` when unset (or invalid: the error is recorded). */
  optional<T>(variable: string, rule: Rule<T>, options: ReadOptions = {}): T | undefined {
    const raw = this.env[variable]?.trim();
    if (raw === undefined || raw === '') return undefined;
    const result = rule.parse(raw);
    if (result.ok) return result.value;
    const shown = options.secret ? '' : ` (got ${JSON.stringify(raw)})`;
    this.issues.push({ variable, message: `${variable}: ${rule.rule}${shown}` });
    return undefined;
  }

  /** Whether `variable` has a non-blank value (valid or not). */
  isSet(variable: string): boolean {
    return (this.env[variable]?.trim() ?? '') !== '';
  }

  /** Records a rule that spans several variables (e.g. "set A or B, not both"). */
  problem(variable: string, rule: string): void {
    this.issues.push({ variable, message: `${variable}: ${rule}` });
  }

  throwIfInvalid(): void {
    if (this.issues.length > 0) throw new ConfigValidationError([...this.issues]);
  }
}
