import type { ChannelType } from '../providers/channel-types';

// What Reelay knows of a channel when it calls the upstream: decrypted key included, so this
// object never leaves the provider layer.
export interface ChannelCredentials {
  channelId: number;
  type: ChannelType;
  baseUrl: string;
  key: string;
  // The key the upstream signs its callbacks with (KIE's webhook HMAC key), when set.
  webhookKey?: string | null;
}

export type CallbackHeaders = Record<string, string | string[] | undefined>;

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

// One item of a provider's task list: the task as a single query would show it, and when the
// upstream created it (epoch ms; null when the item does not say), so a sweep knows when to stop.
export interface ListedTask {
  task: UpstreamTask;
  createdAtMs: number | null;
}

export interface ListedPage {
  tasks: ListedTask[];
  // Items the page held, parsed or not: a page shorter than asked for is the last one.
  itemCount: number;
}

// How far a provider's list route pages (Kling: pageNum 1..1000, pageSize 1..500).
export interface ListPageLimits {
  maxPageNum: number;
  maxPageSize: number;
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

// The contract every upstream client implements (Kling, KIE, VivaAPI).
export abstract class VideoProvider {
  abstract readonly type: ChannelType;

  // Whether the upstream calls back when a task changes (Reelay then injects its callback URL).
  abstract readonly sendsCallbacks: boolean;

  // Whether a task can be looked up by Reelay's own id (`external_task_id`), so a create whose
  // answer was lost, or whose dispatcher died, is resolved at once instead of after a grace.
  abstract readonly findsByExternalId: boolean;

  // Creates the task upstream, or throws a ProviderError.
  abstract submit(ch: ChannelCredentials, input: SubmitInput): Promise<UpstreamTask>;

  // The task as the upstream sees it now; null when the upstream does not know it.
  abstract query(
    ch: ChannelCredentials,
    kind: string,
    ref: { upstreamTaskId: string } | { externalTaskId: string },
  ): Promise<UpstreamTask | null>;

  // Providers that list a kind's tasks newest first let the poller learn many tasks per call
  // (list sweeps); the others leave both unset and are polled one task at a time.
  readonly listLimits?: ListPageLimits;
  listRecent?(ch: ChannelCredentials, kind: string, pageNum: number, pageSize: number): Promise<ListedPage>;

  // A callback body, or null when it is not one this provider sends.
  abstract parseCallback(body: unknown): UpstreamTask | null;

  // Whether the upstream's own proof on a callback (a signature) holds for this channel, on top
  // of Reelay's URL token. Providers that sign nothing accept every callback here.
  verifyCallback(_ch: ChannelCredentials, _headers: CallbackHeaders, _task: UpstreamTask, _nowS: number): boolean {
    return true;
  }

  abstract checkAccount(ch: ChannelCredentials): Promise<AccountCheck>;
}

// A provider that lists its tasks (see VideoProvider.listRecent).
export type ListingProvider = VideoProvider & Required<Pick<VideoProvider, 'listLimits' | 'listRecent'>>;

export function canList(p: VideoProvider): p is ListingProvider {
  return p.listLimits !== undefined && typeof p.listRecent === 'function';
}
