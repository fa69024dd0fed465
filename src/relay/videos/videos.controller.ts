import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../../common/auth/auth.decorators';
import { AuthUser } from '../../common/auth/auth-user';
import { ApiBadRequest, ApiErrors } from '../../common/http/api-responses';
import { Page } from '../../common/pagination/page.dto';
import { TaskIdParam } from '../../common/validation/task-id-param';
import { VideoTimelineService } from './video-timeline.service';
import {
  AdminVideoDto,
  AdminVideoListQueryDto,
  AdminVideoPageDto,
  VideoDto,
  VideoListQueryDto,
  VideoPageDto,
  VideoStatsDto,
  VideoTimelineDto,
} from './videos.dto';
import { VideosService } from './videos.service';

@ApiTags('videos')
@Controller('api/videos')
@Auth({ apiTokens: true, video: true })
export class VideosController {
  constructor(
    private readonly videos: VideosService,
    private readonly timelines: VideoTimelineService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your video tasks, newest first (filters: status, model, created_from, created_to)' })
  @ApiOkResponse({ type: VideoPageDto })
  @ApiBadRequest()
  list(@CurrentUser() user: AuthUser, @Query() query: VideoListQueryDto): Promise<Page<VideoDto>> {
    return this.videos.listOwn(user, query);
  }

  @Get(':task_id/timeline')
  @ApiOperation({ summary: 'One of your tasks, step by step: submitted, credits held, processing, the end, credits' })
  @ApiOkResponse({ type: VideoTimelineDto })
  @ApiErrors.all('Video task')
  timeline(@CurrentUser() user: AuthUser, @TaskIdParam() taskId: string): Promise<VideoTimelineDto> {
    return this.timelines.forOwner(user, taskId);
  }
}

@ApiTags('admin')
@Controller('api/admin')
@Auth({ admin: true })
export class AdminVideosController {
  constructor(
    private readonly videos: VideosService,
    private readonly timelines: VideoTimelineService,
  ) {}

  @Get('videos')
  @ApiOperation({ summary: 'All video tasks (filters: user_id, channel_id, status, model, created_from, created_to)' })
  @ApiOkResponse({ type: AdminVideoPageDto })
  @ApiBadRequest()
  list(@CurrentUser() admin: AuthUser, @Query() query: AdminVideoListQueryDto): Promise<Page<AdminVideoDto>> {
    return this.videos.listAll(admin, query);
  }

  @Get('videos/:task_id/timeline')
  @ApiOperation({ summary: 'Any task, step by step (with the channel it was sent to)' })
  @ApiOkResponse({ type: VideoTimelineDto })
  @ApiErrors.all('Video task')
  timeline(@CurrentUser() admin: AuthUser, @TaskIdParam() taskId: string): Promise<VideoTimelineDto> {
    return this.timelines.forOperator(admin, taskId);
  }

  @Get('stats/videos')
  @ApiOperation({ summary: 'Task counts by status, and per day for the last 7 days' })
  @ApiOkResponse({ type: VideoStatsDto })
  stats(@CurrentUser() admin: AuthUser): Promise<VideoStatsDto> {
    return this.videos.stats(admin);
  }
}
