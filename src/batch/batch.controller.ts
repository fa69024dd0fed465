import { Body, Controller, Get, Headers, HttpCode, MessageEvent, Param, Post, Query, Res, Sse } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPaymentRequiredResponse,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Observable } from 'rxjs';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import { BatchDetailDto, BatchDto, BatchGenerateDto, BatchPageDto } from './batch.dto';
import { BatchDownloadService } from './batch-download.service';
import { BATCH_CREATE_REPLAY, BatchService } from './batch.service';

@ApiTags('batches')
@Controller('api/v1/workflow')
@Auth({ apiTokens: true, video: true })
export class BatchController {
  constructor(
    private readonly batches: BatchService,
    private readonly downloads: BatchDownloadService,
  ) {}

  @Post('batch-generate')
  @Idempotent(BATCH_CREATE_REPLAY)
  @ApiOperation({
    summary: 'Generate many videos (Sora 2 via KIE) under your plan’s concurrency; quoted and held up front',
  })
  @ApiCreatedResponse({ type: BatchDetailDto })
  @ApiBadRequest()
  @ApiPaymentRequiredResponse({
    description: 'Not enough credits for the whole batch; nothing created',
    type: ErrorBodyDto,
  })
  @ApiUnprocessableEntityResponse({
    description: 'More rows than the plan allows, or image batches',
    type: ErrorBodyDto,
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: BatchGenerateDto): Promise<BatchDetailDto> {
    return this.batches.create(user, dto);
  }

  @Get('batches')
  @ApiOperation({ summary: 'Your batches' })
  @ApiOkResponse({ type: BatchPageDto })
  @ApiBadRequest()
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<BatchDto>> {
    return this.batches.list(user, query);
  }

  @Get('batches/:batch_id')
  @ApiOperation({ summary: 'Progress: counts per status, items with task and video URL, fast lane, ETA' })
  @ApiOkResponse({ type: BatchDetailDto })
  @ApiNotFound('Batch')
  detail(@CurrentUser() user: AuthUser, @Param('batch_id') id: string): Promise<BatchDetailDto> {
    return this.batches.detail(user, id);
  }

  @Get('batches/:batch_id/download')
  @ApiOperation({
    summary:
      'A ZIP of the batch’s stored videos ({idx}-{slug}.mp4) and manifest.csv; streamed, usable while the batch runs',
  })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'application/zip' })
  @ApiNotFound('Batch')
  async download(
    @CurrentUser() user: AuthUser,
    @Param('batch_id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const zip = await this.downloads.zip(user, id);
    void reply.type('application/zip').header('content-disposition', `attachment; filename="${zip.fileName}"`);
    if (zip.size !== null) void reply.header('content-length', zip.size);
    return reply.send(zip.stream);
  }

  @Sse('batches/:batch_id/events')
  @ApiOperation({
    summary: 'Server-Sent Events: every status change of the batch and its items (resumable by Last-Event-ID)',
  })
  @ApiNotFound('Batch')
  events(
    @CurrentUser() user: AuthUser,
    @Param('batch_id') id: string,
    @Headers('last-event-id') last?: string,
  ): Promise<Observable<MessageEvent>> {
    return this.batches.events(user, id, last);
  }

  @Post('batches/:batch_id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop dispatching new items (running ones finish)' })
  @ApiOkResponse({ type: BatchDetailDto })
  @ApiNotFound('Batch')
  pause(@CurrentUser() user: AuthUser, @Param('batch_id') id: string): Promise<BatchDetailDto> {
    return this.batches.pause(user, id);
  }

  @Post('batches/:batch_id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dispatch again' })
  @ApiOkResponse({ type: BatchDetailDto })
  @ApiNotFound('Batch')
  resume(@CurrentUser() user: AuthUser, @Param('batch_id') id: string): Promise<BatchDetailDto> {
    return this.batches.resume(user, id);
  }

  @Post('batches/:batch_id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel: items not yet submitted are cancelled and their holds released' })
  @ApiOkResponse({ type: BatchDetailDto })
  @ApiNotFound('Batch')
  cancel(@CurrentUser() user: AuthUser, @Param('batch_id') id: string): Promise<BatchDetailDto> {
    return this.batches.cancel(user, id);
  }
}
