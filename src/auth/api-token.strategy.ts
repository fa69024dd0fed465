import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthUser } from '../common/auth/auth-user';
import { bearerToken } from '../common/auth/bearer';
import { TokensService } from './tokens.service';

// `Authorization: Bearer sk-…` only: keys are never read from the query string, where they
// would end up in access logs.
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, 'api-token') {
  constructor(private readonly tokens: TokensService) {
    super();
  }

  async validate(req: { headers: IncomingHttpHeaders }): Promise<AuthUser | false> {
    const key = bearerToken(req.headers);
    return (key && (await this.tokens.authenticate(key))) || false;
  }
}
