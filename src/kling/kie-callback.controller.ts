import { Body, Controller, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { KieCallbackService } from './kie-callback.service';
import { CallbackAckDto } from './kling.dto';

@ApiTags('kie')
@Controller('kie')
export class KieCallbackController {
  constructor(private readonly callbacks: KieCallbackService) {}

  @Post('callback/:task_id')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: "KIE's completion callback (Reelay's URL token; KIE's HMAC headers when configured)" })
  @ApiQuery({ name: 'token', required: true })
  @ApiOkResponse({ type: CallbackAckDto })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong token or signature; nothing changes', type: ErrorBodyDto })
  callback(
    @Param('task_id') taskId: string,
    @Query('token') token: string | undefined,
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Body() body: unknown,
  ): Promise<CallbackAckDto> {
    return this.callbacks.handle(taskId, token, headers, body);
  }
}
