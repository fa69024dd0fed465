import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { StoredCopyDto } from '../../media/stored-copy.dto';
import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../common/validation/optional';

export class GenerateVideoDto {
  @ApiProperty({ example: 'A paper boat drifting down a rainy street', maxLength: 5000 })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  prompt!: string;

  @ApiPropertyOptional({ example: 'veo3', default: 'veo3' })
  @Optional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, { message: 'must be a model id' })
  model?: string;

  @ApiPropertyOptional({ enum: ['16:9', '9:16'] })
  @Optional()
  @IsIn(['16:9', '9:16'])
  aspect_ratio?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 2, description: 'First (and last) frame: URLs or data URLs' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(2)
  @IsString({ each: true })
  @MaxLength(15_000_000, { each: true })
  images?: string[];
}

export class GenerateVideoResponseDto {
  @ApiProperty({ example: 'veo_Q2x…' })
  task_id!: string;

  @ApiProperty({ enum: ['submitted', 'unknown'] })
  status!: string;

  @ApiProperty({ example: 15, description: 'Price, charged only if the video succeeds' })
  credits!: number;

  @ApiProperty()
  message!: string;
}

export class GeneratedVideoDto extends StoredCopyDto {
  @ApiProperty()
  task_id!: string;

  @ApiProperty({ nullable: true, type: String })
  upstream_task_id!: string | null;

  @ApiProperty()
  status!: string;

  @ApiProperty({ example: '' })
  video_url!: string;

  @ApiProperty({ example: '' })
  fail_reason!: string;
}
