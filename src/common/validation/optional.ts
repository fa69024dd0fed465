import { ValidateIf } from 'class-validator';

// A body field that may be left out but, when sent, must be a value: `null` is refused (the
// validation pipe says "must not be null") instead of reaching a NOT NULL column or a service
// that reads `!== undefined` as "given". Use @IsOptional() only where null means something.
export const Optional = (): PropertyDecorator => ValidateIf((_obj: object, value: unknown) => value !== undefined);
