import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPaymentRequiredResponse,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth, CurrentUser, Public } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ApiBadRequest } from '../common/http/api-responses';
import { IdempotencyInterceptor } from '../common/idempotency/idempotency.interceptor';
import {
  CallbackAckDto,
  Image2VideoDto,
  MultiImage2VideoDto,
  OmniVideoDto,
  SubmitResponseDto,
  TaskResultDto,
  Text2VideoDto,
} from './kling.dto';
import { KlingRelayService } from './kling-relay.service';
import { KlingTasksService } from './kling-tasks.service';

function SubmitDocs(summary: string) {
  return applyDecorators(
    HttpCode(200),
    Auth({ apiTokens: true, video: true }),
    UseInterceptors(IdempotencyInterceptor),
    ApiOperation({
      summary,
      description: 'Quote, hold the price, submit to Kling; charged only if the video succeeds.',
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Same key and body within 24 h: the first response again',
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
export class KlingController {
  constructor(
    private readonly relay: KlingRelayService,
    private readonly tasks: KlingTasksService,
  ) {}

  @Post('v1/videos/text2video')
  @SubmitDocs('Text to video')
  text2video(@CurrentUser() user: AuthUser, @Body() dto: Text2VideoDto): Promise<SubmitResponseDto> {
    return this.relay.submit(user, 'text2video', dto);
  }

  @Post('v1/videos/image2video')
  @SubmitDocs('Image to video')
  image2video(@CurrentUser() user: AuthUser, @Body() dto: Image2VideoDto): Promise<SubmitResponseDto> {
    return this.relay.submit(user, 'image2video', dto);
  }

  @Post('v1/videos/multi-image2video')
  @SubmitDocs('Several images to video')
  multiImage2video(@CurrentUser() user: AuthUser, @Body() dto: MultiImage2VideoDto): Promise<SubmitResponseDto> {
    return this.relay.submit(user, 'multi-image2video', dto);
  }

  @Post('v1/videos/omni-video')
  @SubmitDocs('Omni video (references by <<<image_1>>> etc.)')
  omniVideo(@CurrentUser() user: AuthUser, @Body() dto: OmniVideoDto): Promise<SubmitResponseDto> {
    return this.relay.submit(user, 'omni-video', dto);
  }

  @Get('v1/videos/:task_id')
  @Auth({ apiTokens: true, video: true })
  @ApiOperation({ summary: 'Your task: status, and the video when it succeeded (refreshed from Kling when stale)' })
  @ApiOkResponse({ type: TaskResultDto })
  @ApiNotFoundResponse({ description: 'No such task of yours', type: ErrorBodyDto })
  get(@CurrentUser() user: AuthUser, @Param('task_id') taskId: string): Promise<TaskResultDto> {
    return this.tasks.get(user, taskId);
  }

  @Post('callback/:task_id')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: "Kling's status callback (the URL Reelay injected, with its token)" })
  @ApiQuery({ name: 'token', required: true })
  @ApiOkResponse({ type: CallbackAckDto })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong token; nothing changes', type: ErrorBodyDto })
  callback(
    @Param('task_id') taskId: string,
    @Query('token') token: string | undefined,
    @Body() body: unknown,
  ): Promise<CallbackAckDto> {
    return this.tasks.callback(taskId, token, body);
  }
}
