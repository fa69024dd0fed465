import { applyDecorators, Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiGoneResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentUser, Public } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ApiNotFound } from '../common/http/api-responses';
import { readConditions, sendMedia } from './media-reply';
import { MediaService } from './media.service';
import { ReferenceImages } from './reference-images.service';

const ApiVideoFile = () =>
  applyDecorators(
    ApiProduces('video/mp4', 'video/quicktime', 'video/webm'),
    ApiResponse({ status: 200, description: 'The whole file (Content-Type, Content-Length, ETag = "<sha256>")' }),
    ApiResponse({ status: 206, description: 'The requested `Range` (one range; Content-Range)' }),
    ApiResponse({ status: 304, description: '`If-None-Match` matched the ETag' }),
    ApiResponse({ status: 416, description: 'The range lies outside the file', type: ErrorBodyDto }),
  );

@ApiTags('videos')
@Controller('api/videos')
@Auth({ apiTokens: true, video: true })
export class VideoContentController {
  constructor(private readonly media: MediaService) {}

  @Get(':task_id/content')
  @ApiOperation({ summary: 'Stream your stored copy of a finished video (supports Range, ETag)' })
  @ApiNotFound('Stored video')
  @ApiVideoFile()
  async content(
    @CurrentUser() user: AuthUser,
    @Param('task_id') taskId: string,
    @Headers() headers: Record<string, string>,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return sendMedia(reply, await this.media.openOwned(user, taskId, readConditions(headers)));
  }
}

@ApiTags('videos')
@Controller('media')
@Public()
export class MediaLinkController {
  constructor(private readonly media: MediaService) {}

  @Get(':token')
  @ApiOperation({ summary: 'A stored video through a signed, expiring link (`store_url`); no credentials' })
  @ApiVideoFile()
  @ApiResponse({ status: 403, description: 'Not a valid link', type: ErrorBodyDto })
  @ApiGoneResponse({ description: 'The link has expired', type: ErrorBodyDto })
  async open(
    @Param('token') token: string,
    @Headers() headers: Record<string, string>,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return sendMedia(reply, await this.media.openSigned(token, readConditions(headers)));
  }
}

@ApiTags('videos')
@Controller('media/references')
@Public()
export class ReferenceLinkController {
  constructor(private readonly references: ReferenceImages) {}

  @Get(':token')
  @ApiOperation({ summary: 'An uploaded first-frame image, for the provider that fetches it (signed, expiring)' })
  @ApiProduces('image/png', 'image/jpeg', 'image/webp')
  @ApiResponse({ status: 200, description: 'The image' })
  @ApiResponse({ status: 403, description: 'Not a valid link', type: ErrorBodyDto })
  @ApiGoneResponse({ description: 'The link has expired', type: ErrorBodyDto })
  async open(@Param('token') token: string, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const image = await this.references.open(token);
    return reply.type(image.contentType).header('cache-control', 'private, max-age=3600').send(image.body);
  }
}
