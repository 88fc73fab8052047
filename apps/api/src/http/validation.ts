import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';

import type { FieldError } from '#lifecycle';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true } as const;

/** Flattens class-validator's tree into `{ path, message }` per broken rule. */
export function fieldErrorsOf(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: message.replace(/^property (\S+) should not exist$/, 'is not a known field'),
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
  return new ValidationPipe({
    ...OPTIONS,
    transform: true,
    exceptionFactory: (errors) => badUserInput(fieldErrorsOf(errors)),
  });
}
