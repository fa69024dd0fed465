import { Injectable } from '@nestjs/common';
import { PricesService } from '../billing/prices.service';
import { ChannelsService } from '../channels/channels.service';
import { AuthUser } from '../common/auth/auth-user';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { TaskSubmitterService } from '../tasks/task-submitter.service';
import { RelayKind, RelayRequest, SubmitResponseDto } from './kling.dto';
import { callbackToken, toRequestParams, toUpstreamBody } from './kling-request';

const SUBMITTED_MESSAGE = 'Task submitted; query GET /kling/v1/videos/{task_id} for the result';
const UNKNOWN_MESSAGE =
  'The upstream did not confirm the task in time; Reelay is resolving it and will not submit it twice. Query it for the result.';

// Reelay's main job: quote, hold, persist, submit to the first channel that takes the task,
// and answer only once the task row exists.
@Injectable()
export class KlingRelayService {
  constructor(
    private readonly prices: PricesService,
    private readonly channels: ChannelsService,
    private readonly submitter: TaskSubmitterService,
    private readonly crypto: CryptoService,
    private readonly config: AppConfig,
  ) {}

  async submit(user: AuthUser, kind: RelayKind, dto: RelayRequest): Promise<SubmitResponseDto> {
    const quote = await this.prices.quote(dto.model, {
      kind,
      duration: dto.duration ? Number(dto.duration) : undefined,
      aspectRatio: dto.aspect_ratio,
    });
    const routes = await this.channels.routesFor(dto.model, 'kling');
    if (routes.length === 0) {
      throw new DomainError(ErrorCode.NoChannel, `No channel serves ${dto.model} right now; nothing was charged`);
    }
    const task = { taskId: `kling_${this.crypto.randomString(24)}`, userId: user.id, provider: 'kling' };
    await this.submitter.create({
      ...task,
      model: dto.model,
      kind,
      quota: quote.quota,
      prompt: 'prompt' in dto ? (dto.prompt ?? null) : null,
      duration: quote.duration !== null ? String(quote.duration) : null,
      requestParams: toRequestParams(dto),
      routes,
    });
    const result = await this.submitter.dispatch(task, routes, {
      kind,
      body: toUpstreamBody(kind, dto),
      callbackUrl: `${this.config.serverAddress}/kling/callback/${task.taskId}?token=${callbackToken(this.crypto, task.taskId)}`,
    });
    return {
      task_id: task.taskId,
      kling_task_id: result.upstreamTaskId,
      status: result.status,
      message: result.status === 'submitted' ? SUBMITTED_MESSAGE : UNKNOWN_MESSAGE,
    };
  }
}
