import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { memoizeValidationMetadata } from './validation-metadata-cache';

// One pipe for every body, query and param DTO: unknown fields are refused, nothing is coerced
// silently (query DTOs opt in with @Type), and every failure names the field.
export function createValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new BodyObjectValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
      return new DomainError(ErrorCode.ValidationFailed, summary || 'Invalid request', fields);
    },
  });
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    // A field left out (or sent as null) is one plain message, not every rule it would break.
    const leaf = !e.children?.length && !Object.keys(e.constraints ?? {}).includes('whitelistValidation');
    if (leaf && e.value === undefined) return [{ field, message: 'is required' }];
    if (leaf && e.value === null) return [{ field, message: 'must not be null' }];
    // class-validator starts messages with the property name; the field is said once already.
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message
        .replace(/^property \S+ should not exist$/, 'is not a known field')
        .replace(new RegExp(`^${escapeRegExp(e.property)} `), ''),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ValidationPipe lets `null` (and, for some DTOs, arrays) through as a body; every Reelay body
// is a JSON object.
class BodyObjectValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && metadata.metatype !== Object;
    if (metadata.type === 'body' && isDto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw DomainError.validation('body', 'must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}
