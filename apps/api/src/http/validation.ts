import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';

import type { FieldError } from '#lifecycle';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true } as const;

/** Flattens class-validator's tree into `{ path, message }` per broken rule. */
export function fieldErrorsOf(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    // A blank member name ("" or " ") is shown quoted, so the path still says which it was.
    const name = error.property.trim() === '' ? JSON.stringify(error.property) : error.property;
    const path = prefix ? `${prefix}.${name}` : name;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: message.replace(/^property [\s\S]* should not exist$/, 'is not a known field'),
    }));
    return [...own, ...fieldErrorsOf(error.children ?? [], path)];
  });
}

/** Checks one item against its DTO; every bad field is listed. */
export function validateItem<T extends object>(
  dto: ClassConstructor<T>,
  plain: unknown,
): { ok: true; value: T } | { ok: false; fields: FieldError[] } {
  const value = plainToInstance(dto, plain);
  const errors = validateSync(value, OPTIONS);
  return errors.length ? { ok: false, fields: fieldErrorsOf(errors) } : { ok: true, value };
}

export function badUserInput(fields: readonly FieldError[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    code: 'BAD_USER_INPUT',
    message: `Invalid input: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
    fields,
  });
}

/** The one validation pipe: unknown fields are refused, and a 400 names every bad field. */
export function validationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    ...OPTIONS,
    transform: true,
    exceptionFactory: (errors) => badUserInput(fieldErrorsOf(errors)),
  });
}

/**
 * Nest validates a JSON `null` body as `{}`, so an operation whose fields are all optional (fulfil)
 * took `null` for "no options". A body may be absent, or a JSON object; `null` is neither.
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const transformed: unknown = await super.transform(value, metadata);
    // The whole body (`@Body()`): GraphQL's named arguments come as `body` too, and may be null.
    if (metadata.type === 'body' && metadata.data === undefined && value === null) {
      throw badUserInput([{ path: 'body', message: 'must be a JSON object, not null' }]);
    }
    return transformed;
  }
}
