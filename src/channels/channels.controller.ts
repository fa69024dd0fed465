import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import { IdParam } from '../common/validation/id-param';
import { ChannelDto, ChannelPageDto, ChannelTestDto, CreateChannelDto, UpdateChannelDto } from './channels.dto';
import { ChannelsService } from './channels.service';

@ApiTags('admin')
@Controller('api/admin/channels')
@Auth({ admin: true })
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @ApiOperation({ summary: 'Add an upstream channel (the key is encrypted and never shown again)' })
  @ApiCreatedResponse({ type: ChannelDto })
  @ApiBadRequest()
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreateChannelDto): Promise<ChannelDto> {
    return this.channels.create(admin, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List channels' })
  @ApiOkResponse({ type: ChannelPageDto })
  @ApiBadRequest()
  list(@CurrentUser() admin: AuthUser, @Query() query: PageQueryDto): Promise<Page<ChannelDto>> {
    return this.channels.list(admin, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One channel' })
  @ApiOkResponse({ type: ChannelDto })
  @ApiNotFound('Channel')
  get(@CurrentUser() admin: AuthUser, @IdParam() id: number): Promise<ChannelDto> {
    return this.channels.get(admin, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a channel; status enabled also clears an auto-disable' })
  @ApiOkResponse({ type: ChannelDto })
  @ApiBadRequest()
  @ApiNotFound('Channel')
  update(@CurrentUser() admin: AuthUser, @IdParam() id: number, @Body() dto: UpdateChannelDto): Promise<ChannelDto> {
    return this.channels.update(admin, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a channel' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFound('Channel')
  remove(@CurrentUser() admin: AuthUser, @IdParam() id: number): Promise<void> {
    return this.channels.remove(admin, id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: "Check the channel's key against the upstream (Kling: account costs)" })
  @ApiOkResponse({ type: ChannelTestDto })
  @ApiNotFound('Channel')
  test(@CurrentUser() admin: AuthUser, @IdParam() id: number): Promise<ChannelTestDto> {
    return this.channels.test(admin, id);
  }
}
