import { CreateUsers1732100000000 } from './1732100000000-CreateUsers';
import { CreateApiTokens1732100001000 } from './1732100001000-CreateApiTokens';
import { CreateVideosSingleKey1732100002000 } from './1732100002000-CreateVideosSingleKey';
import { VideosDualKey1732100003000 } from './1732100003000-VideosDualKey';
import { CreateBilling1732200000000 } from './1732200000000-CreateBilling';
import { CreateRelay1732300000000 } from './1732300000000-CreateRelay';
import { CreatePaymentsQuotas1732400000000 } from './1732400000000-CreatePaymentsQuotas';
import { CreateBatches1732500000000 } from './1732500000000-CreateBatches';
import { CreateSettings1732600000000 } from './1732600000000-CreateSettings';

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
];
