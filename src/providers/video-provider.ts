import type { ChannelType } from '../channels/channel.entity';

// What Reelay knows of a channel when it calls the upstream: decrypted key included, so this
// object never leaves the provider layer.
export interface ChannelCredentials {
  channelId: number;
  type: ChannelType;
  baseUrl: string;
  key: string;
}

export type UpstreamStatus = 'submitted' | 'processing' | 'succeed' | 'failed';

export interface UpstreamTask {
  upstreamTaskId: string;
  externalTaskId: string | null;
  status: UpstreamStatus;
  failReason: string | null;
  videoId: string | null;
  videoUrl: string | null;
  duration: string | null;
}

export interface SubmitInput {
  kind: string;
  model: string; // the upstream's model name, after the channel's mapping
  body: Record<string, unknown>;
  externalTaskId: string;
  callbackUrl: string | null;
}

// How Reelay reacts to an upstream failure:
// - retryable: try the next channel (the upstream did not take the task)
// - reauth: sign a fresh token and retry once on the same channel
// - auth / account: the channel's key or account is broken → auto-disable it, next channel
// - channel: this channel cannot serve the request (model, permission) → next channel
// - client: the request itself is wrong → fail the task, tell the caller
// - content: refused by content policy → fail the task, nothing charged
// - unknown_outcome: the upstream may have taken the task → keep it `unknown`, poll by external id
export type ProviderErrorCategory =
  'retryable' | 'reauth' | 'auth' | 'account' | 'channel' | 'client' | 'content' | 'unknown_outcome';

export class ProviderError extends Error {
  constructor(
    readonly category: ProviderErrorCategory,
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface AccountCheck {
  ok: boolean;
  message: string;
  details: Record<string, unknown>;
}

// The contract every upstream client implements (Kling now; KIE and VivaAPI later).
export abstract class VideoProvider {
  abstract readonly type: ChannelType;

  // Creates the task upstream, or throws a ProviderError.
  abstract submit(ch: ChannelCredentials, input: SubmitInput): Promise<UpstreamTask>;

  // The task as the upstream sees it now; null when the upstream does not know it.
  abstract query(
    ch: ChannelCredentials,
    kind: string,
    ref: { upstreamTaskId: string } | { externalTaskId: string },
  ): Promise<UpstreamTask | null>;

  // A callback body, or null when it is not one this provider sends.
  abstract parseCallback(body: unknown): UpstreamTask | null;

  abstract checkAccount(ch: ChannelCredentials): Promise<AccountCheck>;
}
