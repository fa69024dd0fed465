import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../../common/auth/auth.decorators';
import { AuthUser } from '../../common/auth/auth-user';
import { RequestId } from '../../common/http/request-id.decorator';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import {
  KlingEnvelopeDto,
  KlingListEnvelopeDto,
  KlingListQueryDto,
  NativeImage2VideoDto,
  NativeMultiImage2VideoDto,
  NativeOmniVideoDto,
  NativeText2VideoDto,
} from './kling-native.dto';
import { KLING_NATIVE_REPLAY, KlingNativeService } from './kling-native.service';

const Create = (summary: string) =>
  applyDecorators(
    HttpCode(200),
    Idempotent(KLING_NATIVE_REPLAY),
    ApiOperation({ summary: `${summary} (Kling's protocol: model_name, mode, callback_url, external_task_id)` }),
    ApiOkResponse({ type: KlingEnvelopeDto }),
  );
const Query1 = (kind: string) =>
  applyDecorators(
    ApiOperation({ summary: `One ${kind} task, by task_id or by your external_task_id (Kling's query shape)` }),
    ApiOkResponse({ type: KlingEnvelopeDto }),
  );
const List = (kind: string) =>
  applyDecorators(
    ApiOperation({ summary: `Your ${kind} tasks made through Kling's protocol, newest first` }),
    ApiOkResponse({ type: KlingListEnvelopeDto }),
  );

// Kling's own paths. Static kind segments win over OpenAI's /v1/videos/{video_id}.
@ApiTags('kling-protocol')
@Controller('v1/videos')
@Auth({ apiTokens: true, video: true })
export class KlingNativeController {
  constructor(private readonly kling: KlingNativeService) {}

  @Post('text2video')
  @Create('Text to video')
  text2video(@CurrentUser() u: AuthUser, @Body() dto: NativeText2VideoDto, @RequestId() rid: string) {
    return this.kling.submit(u, 'text2video', dto, rid);
  }

  @Post('image2video')
  @Create('Image to video')
  image2video(@CurrentUser() u: AuthUser, @Body() dto: NativeImage2VideoDto, @RequestId() rid: string) {
    return this.kling.submit(u, 'image2video', dto, rid);
  }

  @Post('multi-image2video')
  @Create('Several images to video')
  multi(@CurrentUser() u: AuthUser, @Body() dto: NativeMultiImage2VideoDto, @RequestId() rid: string) {
    return this.kling.submit(u, 'multi-image2video', dto, rid);
  }

  @Post('omni-video')
  @Create('Omni video')
  omni(@CurrentUser() u: AuthUser, @Body() dto: NativeOmniVideoDto, @RequestId() rid: string) {
    return this.kling.submit(u, 'omni-video', dto, rid);
  }

  @Get('text2video/:id')
  @Query1('text2video')
  getText(@CurrentUser() u: AuthUser, @Param('id') id: string, @RequestId() rid: string) {
    return this.kling.get(u, 'text2video', id, rid);
  }

  @Get('image2video/:id')
  @Query1('image2video')
  getImage(@CurrentUser() u: AuthUser, @Param('id') id: string, @RequestId() rid: string) {
    return this.kling.get(u, 'image2video', id, rid);
  }

  @Get('multi-image2video/:id')
  @Query1('multi-image2video')
  getMulti(@CurrentUser() u: AuthUser, @Param('id') id: string, @RequestId() rid: string) {
    return this.kling.get(u, 'multi-image2video', id, rid);
  }

  @Get('omni-video/:id')
  @Query1('omni-video')
  getOmni(@CurrentUser() u: AuthUser, @Param('id') id: string, @RequestId() rid: string) {
    return this.kling.get(u, 'omni-video', id, rid);
  }

  @Get('text2video')
  @List('text2video')
  listText(@CurrentUser() u: AuthUser, @Query() q: KlingListQueryDto, @RequestId() rid: string) {
    return this.kling.list(u, 'text2video', q, rid);
  }

  @Get('image2video')
  @List('image2video')
  listImage(@CurrentUser() u: AuthUser, @Query() q: KlingListQueryDto, @RequestId() rid: string) {
    return this.kling.list(u, 'image2video', q, rid);
  }

  @Get('multi-image2video')
  @List('multi-image2video')
  listMulti(@CurrentUser() u: AuthUser, @Query() q: KlingListQueryDto, @RequestId() rid: string) {
    return this.kling.list(u, 'multi-image2video', q, rid);
  }

  @Get('omni-video')
  @List('omni-video')
  listOmni(@CurrentUser() u: AuthUser, @Query() q: KlingListQueryDto, @RequestId() rid: string) {
    return this.kling.list(u, 'omni-video', q, rid);
  }
}
