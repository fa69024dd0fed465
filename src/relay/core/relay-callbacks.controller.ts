import { Body, Controller, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators';
import { ErrorBodyDto } from '../../common/errors/error-body.dto';
import { CallbackHeaders } from '../../providers/video-provider';
import { CALLBACK_ACK, RelayCallbacksService } from './relay-callbacks.service';

export class CallbackAckDto {
  @ApiProperty({ example: 'success' })
  message!: string;
}

// The callback URLs Reelay injects into upstream creates (built by CallbackUrls).
@ApiTags('callbacks')
@Controller()
export class RelayCallbacksController {
  constructor(private readonly callbacks: RelayCallbacksService) {}

  @Post('kling/callback/:task_id')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: "Kling's status callback (the URL Reelay injected, with its token)" })
  @ApiQuery({ name: 'token', required: true })
  @ApiOkResponse({ type: CallbackAckDto })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong token; nothing changes', type: ErrorBodyDto })
  kling(
    @Param('task_id') taskId: string,
    @Query('token') token: string | undefined,
    @Headers() headers: CallbackHeaders,
    @Body() body: unknown,
  ): Promise<typeof CALLBACK_ACK> {
    return this.callbacks.handle('kling', taskId, token, headers, body);
  }

  @Post('kie/callback/:task_id')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: "KIE's completion callback (Reelay's URL token; KIE's HMAC headers when configured)" })
  @ApiQuery({ name: 'token', required: true })
  @ApiOkResponse({ type: CallbackAckDto })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong token or signature; nothing changes', type: ErrorBodyDto })
  kie(
    @Param('task_id') taskId: string,
    @Query('token') token: string | undefined,
    @Headers() headers: CallbackHeaders,
    @Body() body: unknown,
  ): Promise<typeof CALLBACK_ACK> {
    return this.callbacks.handle('kie', taskId, token, headers, body);
  }
}
