import { LIMITS, type FieldError } from '#lifecycle';

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
  if (typeof id !== 'string' || id.trim() === '') problems.push({ path: 'id', message: 'is required' });
  else if (id.length > ALERT_ID_MAX_LENGTH)
    problems.push({ path: 'id', message: `must be at most ${ALERT_ID_MAX_LENGTH} characters` });
  if (text === undefined || text === null) {
    if (input.textRequired) problems.push({ path: textField, message: 'is required' });
  } else if (typeof text !== 'string') problems.push({ path: textField, message: 'must be a string' });
  else if (input.textRequired && text.trim() === '')
    problems.push({ path: textField, message: 'must not be blank' });
  else if ([...text].length > LIMITS.reasonMaxLength)
    problems.push({ path: textField, message: `must be at most ${LIMITS.reasonMaxLength} characters` });
  return problems;
}
