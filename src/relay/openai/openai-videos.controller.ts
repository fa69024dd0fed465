import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { readConditions, sendMedia } from '../../media/media-reply';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPaymentRequiredResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentUser } from '../../common/auth/auth.decorators';
import { AuthUser } from '../../common/auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import {
  ContentQueryDto,
  OpenAiCreateVideoDto,
  ListVideosQueryDto,
  OpenAiModelListDto,
  OpenAiErrorDto,
  OpenAiVideoDeletedDto,
  OpenAiVideoDto,
  OpenAiVideoListDto,
} from './openai.dto';
import { OpenAiModelsService } from './openai-models.service';
import { OPENAI_CREATE_REPLAY, OpenAiVideosService } from './openai-videos.service';

const unsupported = (what: string) =>
  new DomainError(
    ErrorCode.UnsupportedOperation,
    `${what} is not supported by Reelay: create a new video with POST /v1/videos instead`,
  );

// OpenAI's videos API (`openai` SDKs: baseURL = https://<reelay>/v1, apiKey = a Reelay key).
@ApiTags('openai')
@Controller('v1')
@Auth({ apiTokens: true, video: true })
@ApiBadRequestResponse({ description: "OpenAI's error envelope (`param` names the field)", type: OpenAiErrorDto })
export class OpenAiVideosController {
  constructor(
    private readonly videos: OpenAiVideosService,
    private readonly models: OpenAiModelsService,
  ) {}

  @Post('videos')
  @HttpCode(200)
  @RouteConfig({ multipart: true })
  @Idempotent(OPENAI_CREATE_REPLAY)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    type: OpenAiCreateVideoDto,
    description: 'JSON, or multipart/form-data with input_reference as an image file',
  })
  @ApiOperation({ summary: 'Create a video (any catalog model); the price is held and charged only on success' })
  @ApiOkResponse({ type: OpenAiVideoDto })
  @ApiPaymentRequiredResponse({ description: 'Not enough credits; nothing held', type: OpenAiErrorDto })
  create(@CurrentUser() user: AuthUser, @Body() body: unknown): Promise<OpenAiVideoDto> {
    return this.videos.create(user, body);
  }

  @Get('videos')
  @ApiOperation({ summary: 'Your videos made through this API, newest first (cursor: after)' })
  @ApiOkResponse({ type: OpenAiVideoListDto })
  list(@CurrentUser() user: AuthUser, @Query() query: ListVideosQueryDto): Promise<OpenAiVideoListDto> {
    return this.videos.list(user, query);
  }

  @Get('videos/:video_id')
  @ApiOperation({ summary: 'One video (refreshed from the provider when stale)' })
  @ApiOkResponse({ type: OpenAiVideoDto })
  @ApiNotFoundResponse({ description: 'No such video of yours', type: OpenAiErrorDto })
  retrieve(@CurrentUser() user: AuthUser, @Param('video_id') id: string): Promise<OpenAiVideoDto> {
    return this.videos.retrieve(user, id);
  }

  @Get('videos/:video_id/content')
  @ApiOperation({ summary: 'The stored video file (Range, ETag); variant=video (the only one Reelay keeps)' })
  @ApiProduces('video/mp4', 'video/quicktime', 'video/webm')
  @ApiOkResponse({ description: 'The video (206 with Range)' })
  @ApiConflictResponse({ description: 'The video is not ready yet', type: OpenAiErrorDto })
  async content(
    @CurrentUser() user: AuthUser,
    @Param('video_id') id: string,
    @Query() query: ContentQueryDto,
    @Headers() headers: Record<string, string>,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return sendMedia(reply, await this.videos.content(user, id, query.variant ?? 'video', readConditions(headers)));
  }

  @Delete('videos/:video_id')
  @ApiOperation({ summary: 'Delete a finished video and its stored files' })
  @ApiOkResponse({ type: OpenAiVideoDeletedDto })
  @ApiConflictResponse({ description: 'The video is still being generated', type: OpenAiErrorDto })
  delete(@CurrentUser() user: AuthUser, @Param('video_id') id: string): Promise<OpenAiVideoDeletedDto> {
    return this.videos.delete(user, id);
  }

  @Post('videos/:video_id/remix')
  @ApiOperation({ summary: 'Not supported (remixing needs the provider to keep the source video)' })
  remix(): never {
    throw unsupported('Remixing a video');
  }

  @Post('videos/edits')
  @ApiOperation({ summary: 'Not supported' })
  edits(): never {
    throw unsupported('Editing a video');
  }

  @Post('videos/extensions')
  @ApiOperation({ summary: 'Not supported' })
  extensions(): never {
    throw unsupported('Extending a video');
  }

  @Post('videos/characters')
  @ApiOperation({ summary: 'Not supported' })
  createCharacter(): never {
    throw unsupported('Creating a character');
  }

  @Get('videos/characters/:character_id')
  @ApiOperation({ summary: 'Not supported' })
  getCharacter(): never {
    throw unsupported('Characters');
  }

  @Get('models')
  @ApiOperation({ summary: "The models Reelay offers, in OpenAI's list shape (details and prices: GET /api/models)" })
  @ApiOkResponse({ type: OpenAiModelListDto })
  modelList(): Promise<OpenAiModelListDto> {
    return this.models.list();
  }
}
