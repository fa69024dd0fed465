import { ApiProperty } from '@nestjs/swagger';
import { PageResponseDto } from '../common/pagination/page.dto';
import { ALERT_KINDS, AlertKind } from './alert.entity';

export class AlertDto {
  @ApiProperty()
  id!: number;

  @ApiProperty({ enum: ALERT_KINDS })
  kind!: AlertKind;

  @ApiProperty({ example: 'user:7' })
  subject!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: Object, nullable: true })
  details!: Record<string, unknown> | null;

  @ApiProperty()
  created_at!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'When the webhook accepted it' })
  delivered_at!: number | null;

  @ApiProperty()
  attempts!: number;
}

export const AlertPageDto = PageResponseDto(AlertDto, 'AlertPage');

export class AlertRunDto {
  @ApiProperty({ type: [AlertDto], description: 'Alerts this run raised (a crossing raises one alert once)' })
  raised!: AlertDto[];

  @ApiProperty({ description: 'Alerts delivered to the webhook by this run' })
  delivered!: number;
}
