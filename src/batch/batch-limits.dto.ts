import { ApiProperty } from '@nestjs/swagger';
import { USER_PLANS, UserPlan } from '../common/auth/auth-user';

export class BatchLimitsDto {
  @ApiProperty({ enum: USER_PLANS })
  plan!: UserPlan;

  @ApiProperty({
    example: 3,
    description: 'How many of your videos may run at once (before resolution/duration weights)',
  })
  concurrency!: number;

  @ApiProperty({ example: 15, description: 'Most rows one batch may have' })
  max_batch_rows!: number;
}
