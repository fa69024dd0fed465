import { Batch, BatchEvent, BatchItem, BatchUserState } from '../../batch/batch.entity';
import { CreditPackage } from '../../payments/package.entity';
import { PaymentOrder } from '../../payments/payment-order.entity';
import { Alert, AlertState } from '../../quotas/alert.entity';
import { ProviderQuota } from '../../quotas/provider-quota.entity';
import { Channel } from '../../channels/channel.entity';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity';
import { Setting } from '../settings/setting.entity';
import { CreditAccount } from '../../billing/credit-account.entity';
import { LedgerEntry } from '../../billing/ledger-entry.entity';
import { Price } from '../../billing/price.entity';
import { ApiToken } from '../../auth/api-token.entity';
import { User } from '../../auth/user.entity';
import { VideoTask } from '../../tasks/video-task.entity';

export const ENTITIES = [
  User,
  ApiToken,
  VideoTask,
  CreditAccount,
  LedgerEntry,
  Price,
  Channel,
  IdempotencyKey,
  CreditPackage,
  PaymentOrder,
  ProviderQuota,
  Alert,
  AlertState,
  Batch,
  BatchItem,
  BatchUserState,
  BatchEvent,
  Setting,
];
