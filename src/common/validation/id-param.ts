import { Param, ParseIntPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

// A numeric path id; a bad one is a 400 that names the parameter.
export const IdParam = (name = 'id') =>
  Param(
    name,
    new ParseIntPipe({
      exceptionFactory: () => DomainError.validation(name, 'must be a positive integer'),
    }),
  );
