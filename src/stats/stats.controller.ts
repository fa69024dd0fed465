import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest } from '../common/http/api-responses';
import { Page } from '../common/pagination/page.dto';
import {
  ChannelStatsDto,
  ModelStatsDto,
  OverviewQueryDto,
  RevenueQueryDto,
  RevenueStatsDto,
  StatsOverviewDto,
  TaskStatsQueryDto,
  UserFigureDto,
  UserStatsPageDto,
  UserStatsQueryDto,
} from './stats.dto';
import { StatsService } from './stats.service';

// Tasks are counted by when they were created, within [from, to); orders by when they were paid.
@ApiTags('admin')
@Controller('api/admin/stats')
@Auth({ admin: true })
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('overview')
  @ApiOperation({
    summary:
      'Tasks in a range: counts and quota/credit sums by status, success rate, how tasks ended (callback, poll, refresh, timeout, submit), a series',
  })
  @ApiOkResponse({ type: StatsOverviewDto })
  @ApiBadRequest()
  overview(@CurrentUser() admin: AuthUser, @Query() query: OverviewQueryDto): Promise<StatsOverviewDto> {
    return this.stats.overview(admin, query);
  }

  @Get('models')
  @ApiOperation({ summary: 'Per model: counts, success rate, credits charged, completion time p50/p95/average' })
  @ApiOkResponse({ type: ModelStatsDto })
  @ApiBadRequest()
  models(@CurrentUser() admin: AuthUser, @Query() query: TaskStatsQueryDto): Promise<ModelStatsDto> {
    return this.stats.models(admin, query);
  }

  @Get('users')
  @ApiOperation({ summary: 'Per user: tasks, successes and credits charged, most credits first' })
  @ApiOkResponse({ type: UserStatsPageDto })
  @ApiBadRequest()
  users(@CurrentUser() admin: AuthUser, @Query() query: UserStatsQueryDto): Promise<Page<UserFigureDto>> {
    return this.stats.userFigures(admin, query);
  }

  @Get('channels')
  @ApiOperation({ summary: 'Per channel: tasks, error rate, and its auto-disable / re-enable history' })
  @ApiOkResponse({ type: ChannelStatsDto })
  @ApiBadRequest()
  channels(@CurrentUser() admin: AuthUser, @Query() query: TaskStatsQueryDto): Promise<ChannelStatsDto> {
    return this.stats.channelFigures(admin, query);
  }

  @Get('revenue')
  @ApiOperation({ summary: 'Paid orders in a range: count, amount, credits, per package and over time' })
  @ApiOkResponse({ type: RevenueStatsDto })
  @ApiBadRequest()
  revenue(@CurrentUser() admin: AuthUser, @Query() query: RevenueQueryDto): Promise<RevenueStatsDto> {
    return this.stats.revenue(admin, query);
  }
}
