import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../errors/error-body.dto';

export const ApiBadRequest = () =>
  ApiBadRequestResponse({
    description: 'Malformed JSON, a wrong type, a missing or unknown field',
    type: ErrorBodyDto,
  });

export const ApiNotFound = (what: string) =>
  ApiNotFoundResponse({ description: `${what} not found`, type: ErrorBodyDto });

export const ApiErrors = {
  badRequest: ApiBadRequest,
  notFound: ApiNotFound,
  all: (what: string) => applyDecorators(ApiBadRequest(), ApiNotFound(what)),
};
