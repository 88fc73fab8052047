import { LIMITS, unstorableTextProblem, type FieldError } from '#lifecycle';

/** Longest alert id accepted: the ids the service makes are far shorter. */
export const ALERT_ID_MAX_LENGTH = 200;

/**
 * What is wrong with a person's acknowledge or resolve: every bad field, none when it is fine.
 * `reason` is required when resolving (pass `required: true`), `note` is optional.
 */
export function alertInputProblems(input: {
  readonly id: unknown;
  readonly text: unknown;
  readonly textField: 'note' | 'reason';
  readonly textRequired: boolean;
}): FieldError[] {
  const problems: FieldError[] = [];
  const { id, text, textField } = input;
  const idProblem =
    typeof id !== 'string' || id.trim() === ''
      ? 'is required'
      : id.length > ALERT_ID_MAX_LENGTH
        ? `must be at most ${ALERT_ID_MAX_LENGTH} characters`
        : unstorableTextProblem(id);
  if (idProblem) problems.push({ path: 'id', message: idProblem });
  const textProblem = textProblemOf(text, input.textRequired);
  if (textProblem) problems.push({ path: textField, message: textProblem });
  return problems;
}

function textProblemOf(text: unknown, required: boolean): string | undefined {
  if (text === undefined || text === null) return required ? 'is required' : undefined;
  if (typeof text !== 'string') return 'must be a string';
  if (required && text.trim() === '') return 'must not be blank';
  if ([...text].length > LIMITS.reasonMaxLength)
    return `must be at most ${LIMITS.reasonMaxLength} characters`;
  return unstorableTextProblem(text);
}
