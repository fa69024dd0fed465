import { CreateUsers1732100000000 } from './1732100000000-CreateUsers';
import { CreateApiTokens1732100001000 } from './1732100001000-CreateApiTokens';
import { CreateVideosSingleKey1732100002000 } from './1732100002000-CreateVideosSingleKey';
import { VideosDualKey1732100003000 } from './1732100003000-VideosDualKey';
import { CreateBilling1732200000000 } from './1732200000000-CreateBilling';
import { CreateRelay1732300000000 } from './1732300000000-CreateRelay';
import { CreatePaymentsQuotas1732400000000 } from './1732400000000-CreatePaymentsQuotas';
import { CreateBatches1732500000000 } from './1732500000000-CreateBatches';
import { CreateSettings1732600000000 } from './1732600000000-CreateSettings';
import { RelayOwners1732700000000 } from './1732700000000-RelayOwners';
import { TaskClientFields1732800000000 } from './1732800000000-TaskClientFields';
import { SpendCaps1732900000000 } from './1732900000000-SpendCaps';
import { CreatePasswordLinks1732750000000 } from './1732750000000-CreatePasswordLinks';
import { CreateMediaCopies1734000000000 } from './1734000000000-CreateMediaCopies';
import { CreateWebhooks1734010000000 } from './1734010000000-CreateWebhooks';
import { CreateAuditLog1735000000000 } from './1735000000000-CreateAuditLog';
import { TaskEndedByAndStatsIndexes1735000001000 } from './1735000001000-TaskEndedByAndStatsIndexes';
import { ChannelAutoReenable1735000002000 } from './1735000002000-ChannelAutoReenable';
import { TaskProcessingAt1735000003000 } from './1735000003000-TaskProcessingAt';
import { DropRedundantVideoIndexes1735000004000 } from './1735000004000-DropRedundantVideoIndexes';
import { TaskPollLanes1735000005000 } from './1735000005000-TaskPollLanes';

// Listed explicitly (not globbed) so the same list loads from ts in tests and js in dist.
export const MIGRATIONS = [
  CreateUsers1732100000000,
  CreateApiTokens1732100001000,
  CreateVideosSingleKey1732100002000,
  VideosDualKey1732100003000,
  CreateBilling1732200000000,
  CreateRelay1732300000000,
  CreatePaymentsQuotas1732400000000,
  CreateBatches1732500000000,
  CreateSettings1732600000000,
  RelayOwners1732700000000,
  CreatePasswordLinks1732750000000,
  TaskClientFields1732800000000,
  SpendCaps1732900000000,
  CreateMediaCopies1734000000000,
  CreateWebhooks1734010000000,
  CreateAuditLog1735000000000,
  TaskEndedByAndStatsIndexes1735000001000,
  ChannelAutoReenable1735000002000,
  TaskProcessingAt1735000003000,
  DropRedundantVideoIndexes1735000004000,
  TaskPollLanes1735000005000,
];
