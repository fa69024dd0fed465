import { ApiProperty } from '@nestjs/swagger';

class ErrorDetailDto {
  @ApiProperty({ example: 'validation_failed', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'email: must be an email' })
  message!: string;

  @ApiProperty({
    nullable: true,
    example: [{ field: 'email', message: 'must be an email' }],
    description: 'For validation failures, the list of fields that are wrong',
    oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }],
  })
  details!: unknown;
}

// The one error shape of every 4xx/5xx.
export class ErrorBodyDto {
  @ApiProperty({ type: ErrorDetailDto })
  error!: ErrorDetailDto;

  @ApiProperty({ example: 'b7c1e3f0-5d1e-4a55-9a61-0f4f1c2d9e7a' })
  request_id!: string;
}
