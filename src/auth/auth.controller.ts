import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { RequestOrigin } from '../common/auth/auth-user';
import { Origin } from '../common/auth/request-origin';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ApiBadRequest } from '../common/http/api-responses';
import { RateLimited } from '../common/rate-limit/rate-limit.guard';
import { LoginDto, RegisterDto, SessionDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @RateLimited('register')
  @ApiOperation({ summary: 'Create an account (can be turned off with REGISTRATION_ENABLED=false)' })
  @ApiCreatedResponse({ type: SessionDto })
  @ApiBadRequest()
  @ApiConflictResponse({ description: 'Email already registered', type: ErrorBodyDto })
  @ApiForbiddenResponse({ description: 'Registration is closed', type: ErrorBodyDto })
  register(@Body() dto: RegisterDto): Promise<SessionDto> {
    return this.auth.register(dto);
  }

  @Post('login')
  @Public()
  @RateLimited('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a session JWT' })
  @ApiOkResponse({ type: SessionDto })
  @ApiBadRequest()
  @ApiUnauthorizedResponse({ description: 'Wrong email or password', type: ErrorBodyDto })
  // 429 too after RATE_LIMIT_LOGIN_FAILURES wrong passwords for the account (a short lockout)
  @ApiForbiddenResponse({ description: 'Account disabled', type: ErrorBodyDto })
  login(@Body() dto: LoginDto, @Origin() origin: RequestOrigin): Promise<SessionDto> {
    return this.auth.login(dto, origin);
  }
}
