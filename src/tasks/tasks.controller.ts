import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest } from '../common/http/api-responses';
import { Page } from '../common/pagination/page.dto';
import {
  AdminVideoDto,
  AdminVideoListQueryDto,
  AdminVideoPageDto,
  VideoDto,
  VideoListQueryDto,
  VideoPageDto,
  VideoStatsDto,
} from './tasks.dto';
import { TasksService } from './tasks.service';

@ApiTags('videos')
@Controller('api/videos')
@Auth({ apiTokens: true, video: true })
export class VideosController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Your video tasks, newest first (filters: status, model, created_from, created_to)' })
  @ApiOkResponse({ type: VideoPageDto })
  @ApiBadRequest()
  list(@CurrentUser() user: AuthUser, @Query() query: VideoListQueryDto): Promise<Page<VideoDto>> {
    return this.tasks.listOwn(user, query);
  }
}

@ApiTags('admin')
@Controller('api/admin')
@Auth({ admin: true })
export class AdminVideosController {
  constructor(private readonly tasks: TasksService) {}

  @Get('videos')
  @ApiOperation({ summary: 'All video tasks (filters: user_id, channel_id, status, model, created_from, created_to)' })
  @ApiOkResponse({ type: AdminVideoPageDto })
  @ApiBadRequest()
  list(@CurrentUser() admin: AuthUser, @Query() query: AdminVideoListQueryDto): Promise<Page<AdminVideoDto>> {
    return this.tasks.listAll(admin, query);
  }

  @Get('stats/videos')
  @ApiOperation({ summary: 'Task counts by status, and per day for the last 7 days' })
  @ApiOkResponse({ type: VideoStatsDto })
  stats(@CurrentUser() admin: AuthUser): Promise<VideoStatsDto> {
    return this.tasks.stats(admin);
  }
}
