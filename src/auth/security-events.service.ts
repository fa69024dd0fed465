import { Injectable, OnModuleInit } from '@nestjs/common';
import { anonymousActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';

// Security events the shared rate limiter sees, into the audit trail: an address going past the
// login (or registration) limit, once per window. Account lockouts are recorded by AuthService.
@Injectable()
export class SecurityEvents implements OnModuleInit {
  constructor(
    private readonly limits: RateLimitService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.limits.onIpLimited((e) =>
      this.audit.recordAlone(anonymousActor(e.origin), {
        action: 'auth.rate_limited',
        target: { type: 'ip', id: e.origin.ip },
        after: { limit: e.limit },
      }),
    );
  }
}
