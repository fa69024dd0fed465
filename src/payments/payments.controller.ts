import { Body, Controller, Get, Header, Headers, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentUser, Public } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import { IdParam } from '../common/validation/id-param';
import { AlipayNotifyService } from './alipay-notify.service';
import {
  AdminOrderDto,
  AdminOrderPageDto,
  AdminOrderQueryDto,
  CreatedOrderDto,
  CreateOrderDto,
  CreatePackageDto,
  OrderDto,
  OrderPageDto,
  PackageDto,
  PackageListDto,
  PackagePageDto,
  UpdatePackageDto,
} from './payments.dto';
import { ORDER_CREATE_REPLAY, PaymentsService } from './payments.service';

@ApiTags('payments')
@Controller('api')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly notify: AlipayNotifyService,
  ) {}

  @Get('packages')
  @Public()
  @ApiOperation({ summary: 'Credit packages on sale' })
  @ApiOkResponse({ type: PackageListDto })
  packages(): Promise<PackageListDto> {
    return this.payments.publicPackages();
  }

  @Post('payments/orders')
  @Auth()
  @Idempotent(ORDER_CREATE_REPLAY)
  @ApiOperation({ summary: 'Buy a package: an order and its Alipay page-pay URL' })
  @ApiCreatedResponse({ type: CreatedOrderDto })
  @ApiBadRequest()
  @ApiNotFound('Package')
  @ApiServiceUnavailableResponse({ description: 'Alipay is not configured', type: ErrorBodyDto })
  createOrder(@CurrentUser() user: AuthUser, @Body() dto: CreateOrderDto): Promise<CreatedOrderDto> {
    return this.payments.createOrder(user, dto);
  }

  @Get('payments/orders')
  @Auth({ apiTokens: true })
  @ApiOperation({ summary: 'Your orders' })
  @ApiOkResponse({ type: OrderPageDto })
  @ApiBadRequest()
  orders(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<OrderDto>> {
    return this.payments.listOwn(user, query);
  }

  @Post('payment/alipay/notify')
  @Public()
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ summary: "Alipay's async notify (form-encoded, RSA2-signed); answers `success` or `fail`" })
  @ApiOkResponse({ description: 'success | fail', schema: { type: 'string', example: 'success' } })
  alipayNotify(@Headers('content-type') contentType: string | undefined, @Body() body: unknown): Promise<string> {
    return this.notify.handle(contentType, body);
  }
}

@ApiTags('admin')
@Controller('api/admin')
@Auth({ admin: true })
export class AdminPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('packages')
  @ApiOperation({ summary: 'All packages' })
  @ApiOkResponse({ type: PackagePageDto })
  @ApiBadRequest()
  list(@CurrentUser() admin: AuthUser, @Query() query: PageQueryDto): Promise<Page<PackageDto>> {
    return this.payments.adminPackages(admin, query);
  }

  @Post('packages')
  @ApiOperation({ summary: 'Add a package' })
  @ApiCreatedResponse({ type: PackageDto })
  @ApiBadRequest()
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreatePackageDto): Promise<PackageDto> {
    return this.payments.createPackage(admin, dto);
  }

  @Patch('packages/:id')
  @ApiOperation({ summary: 'Change a package (orders already made keep their price)' })
  @ApiOkResponse({ type: PackageDto })
  @ApiBadRequest()
  @ApiNotFound('Package')
  update(@CurrentUser() admin: AuthUser, @IdParam() id: number, @Body() dto: UpdatePackageDto): Promise<PackageDto> {
    return this.payments.updatePackage(admin, id, dto);
  }

  @Get('payments/orders')
  @ApiOperation({ summary: 'All orders (filters: user_id, status, created_from, created_to)' })
  @ApiOkResponse({ type: AdminOrderPageDto })
  @ApiBadRequest()
  orders(@CurrentUser() admin: AuthUser, @Query() query: AdminOrderQueryDto): Promise<Page<AdminOrderDto>> {
    return this.payments.listAll(admin, query);
  }
}
