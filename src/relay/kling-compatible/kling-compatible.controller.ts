import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPaymentRequiredResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth, CurrentUser } from '../../common/auth/auth.decorators';
import { AuthUser } from '../../common/auth/auth-user';
import { ErrorBodyDto } from '../../common/errors/error-body.dto';
import { ApiBadRequest } from '../../common/http/api-responses';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import {
  Image2VideoDto,
  MultiImage2VideoDto,
  OmniVideoDto,
  SubmitResponseDto,
  TaskResultDto,
  Text2VideoDto,
} from './kling-compatible.dto';
import { KLING_SUBMIT_REPLAY, KlingCompatibleService } from './kling-compatible.service';

function SubmitDocs(summary: string) {
  return applyDecorators(
    HttpCode(200),
    Auth({ apiTokens: true, video: true }),
    Idempotent(KLING_SUBMIT_REPLAY),
    ApiOperation({
      summary,
      description: 'Quote, hold the price, submit to Kling; charged only if the video succeeds.',
    }),
    ApiOkResponse({ type: SubmitResponseDto }),
    ApiBadRequest(),
    ApiPaymentRequiredResponse({ description: 'Insufficient balance', type: ErrorBodyDto }),
    ApiUnprocessableEntityResponse({
      description: 'Model not priced, rejected upstream, or key reused',
      type: ErrorBodyDto,
    }),
    ApiConflictResponse({ description: 'Same Idempotency-Key still in progress', type: ErrorBodyDto }),
    ApiServiceUnavailableResponse({ description: 'No channel could take the task', type: ErrorBodyDto }),
  );
}

@ApiTags('kling')
@Controller('kling')
export class KlingCompatibleController {
  constructor(private readonly kling: KlingCompatibleService) {}

  @Post('v1/videos/text2video')
  @SubmitDocs('Text to video')
  text2video(@CurrentUser() user: AuthUser, @Body() dto: Text2VideoDto): Promise<SubmitResponseDto> {
    return this.kling.submit(user, 'text2video', dto);
  }

  @Post('v1/videos/image2video')
  @SubmitDocs('Image to video')
  image2video(@CurrentUser() user: AuthUser, @Body() dto: Image2VideoDto): Promise<SubmitResponseDto> {
    return this.kling.submit(user, 'image2video', dto);
  }

  @Post('v1/videos/multi-image2video')
  @SubmitDocs('Several images to video')
  multiImage2video(@CurrentUser() user: AuthUser, @Body() dto: MultiImage2VideoDto): Promise<SubmitResponseDto> {
    return this.kling.submit(user, 'multi-image2video', dto);
  }

  @Post('v1/videos/omni-video')
  @SubmitDocs('Omni video (references by <<<image_1>>> etc.)')
  omniVideo(@CurrentUser() user: AuthUser, @Body() dto: OmniVideoDto): Promise<SubmitResponseDto> {
    return this.kling.submit(user, 'omni-video', dto);
  }

  @Get('v1/videos/:task_id')
  @Auth({ apiTokens: true, video: true })
  @ApiOperation({ summary: 'Your task: status, and the video when it succeeded (refreshed from Kling when stale)' })
  @ApiOkResponse({ type: TaskResultDto })
  @ApiNotFoundResponse({ description: 'No such task of yours', type: ErrorBodyDto })
  get(@CurrentUser() user: AuthUser, @Param('task_id') taskId: string): Promise<TaskResultDto> {
    return this.kling.get(user, taskId);
  }
}
