import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPaymentRequiredResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth, CurrentUser } from '../../common/auth/auth.decorators';
import { AuthUser } from '../../common/auth/auth-user';
import { ErrorBodyDto } from '../../common/errors/error-body.dto';
import { ApiBadRequest } from '../../common/http/api-responses';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { GeneratedVideoDto, GenerateVideoDto, GenerateVideoResponseDto } from './veo.dto';
import { VEO_SUBMIT_REPLAY, VeoService } from './veo.service';

@ApiTags('generate')
@Controller('api/generate/video')
@Auth({ apiTokens: true, video: true })
export class VeoController {
  constructor(private readonly veo: VeoService) {}

  @Post()
  @HttpCode(200)
  @Idempotent(VEO_SUBMIT_REPLAY)
  @ApiOperation({ summary: 'Generate a Veo video through VivaAPI (15 credits by default, charged only on success)' })
  @ApiOkResponse({ type: GenerateVideoResponseDto })
  @ApiBadRequest()
  @ApiPaymentRequiredResponse({ description: 'Insufficient balance', type: ErrorBodyDto })
  @ApiUnprocessableEntityResponse({ description: 'Model not priced or request refused', type: ErrorBodyDto })
  @ApiServiceUnavailableResponse({ description: 'No channel could take the task', type: ErrorBodyDto })
  generate(@CurrentUser() user: AuthUser, @Body() dto: GenerateVideoDto): Promise<GenerateVideoResponseDto> {
    return this.veo.generate(user, dto);
  }

  @Get(':task_id')
  @ApiOperation({ summary: 'Your generation task (refreshed from the upstream when stale)' })
  @ApiOkResponse({ type: GeneratedVideoDto })
  @ApiNotFoundResponse({ description: 'No such task of yours', type: ErrorBodyDto })
  get(@CurrentUser() user: AuthUser, @Param('task_id') taskId: string): Promise<GeneratedVideoDto> {
    return this.veo.get(user, taskId);
  }
}
