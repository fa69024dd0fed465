import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { creditsToQuota, quotaToCredits } from '../billing/money';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, PageQueryDto, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { AppConfig } from '../config/app-config';
import { AlipayGateway, fenToYuan } from '../providers/alipay/alipay.gateway';
import { CreditPackage } from './package.entity';
import { PaymentOrder } from './payment-order.entity';
import {
  AdminOrderDto,
  AdminOrderQueryDto,
  CreatedOrderDto,
  CreateOrderDto,
  CreatePackageDto,
  OrderDto,
  PackageDto,
  PackageListDto,
  UpdatePackageDto,
} from './payments.dto';
import { PackageFields, PaymentsRepository } from './payments.repository';
import { SettlementService } from './settlement.service';

const CHECK_BATCH = 100;

@Injectable()
export class PaymentsService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly alipay: AlipayGateway,
    private readonly settlement: SettlementService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PaymentsService.name);
  }

  async publicPackages(): Promise<PackageListDto> {
    return { items: (await this.payments.activePackages()).map((p) => this.toPackage(p)) };
  }

  async adminPackages(_admin: AuthUser, query: PageQueryDto): Promise<Page<PackageDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.payments.allPackages(page);
    return pageOf(rows, total, page, (p) => this.toPackage(p));
  }

  async createPackage(_admin: AuthUser, dto: CreatePackageDto): Promise<PackageDto> {
    const fields: PackageFields = {
      code: dto.code,
      name: dto.name,
      priceFen: dto.price_fen,
      credits: this.quota(dto.credits),
      grantsPlan: dto.grants_plan ?? null,
      status: dto.status ?? 'active',
      sort: dto.sort ?? 0,
    };
    try {
      return this.toPackage(await this.payments.insertPackage(fields, this.clock.now()));
    } catch (err) {
      if ((err as { driverError?: unknown }).driverError)
        throw new DomainError(ErrorCode.Conflict, `A package with code ${dto.code} exists`);
      throw err;
    }
  }

  async updatePackage(admin: AuthUser, id: number, dto: UpdatePackageDto): Promise<PackageDto> {
    const f: Partial<PackageFields> = {};
    if (dto.name !== undefined) f.name = dto.name;
    if (dto.price_fen !== undefined) f.priceFen = dto.price_fen;
    if (dto.credits !== undefined) f.credits = this.quota(dto.credits);
    if (dto.grants_plan !== undefined) f.grantsPlan = dto.grants_plan;
    if (dto.status !== undefined) f.status = dto.status;
    if (dto.sort !== undefined) f.sort = dto.sort;
    if (!(await this.payments.updatePackage(id, f, this.clock.now()))) throw DomainError.notFound('Package');
    const p = await this.payments.findPackage(id);
    return this.toPackage(p as CreditPackage);
  }

  // The order and its Alipay page-pay URL; the order keeps the package's price and credits as
  // they were when it was bought.
  async createOrder(user: AuthUser, dto: CreateOrderDto): Promise<CreatedOrderDto> {
    if (!this.alipay.configured) {
      throw new DomainError(
        ErrorCode.PaymentsUnavailable,
        'Payments are not configured on this server (ALIPAY_* settings)',
      );
    }
    const pkg = await this.payments.findPackage(dto.package_id);
    if (!pkg || pkg.status !== 'active') throw DomainError.notFound('Package');
    const now = this.clock.now();
    const order = await this.payments.insertOrder({
      outTradeNo: newOutTradeNo(now),
      userId: user.id,
      packageId: pkg.id,
      amountFen: pkg.priceFen,
      credits: pkg.credits,
      grantsPlan: pkg.grantsPlan,
      nextCheckAt: now + this.config.orderCheckAfterSeconds,
      createdAt: now,
    });
    const payUrl = this.alipay.pagePayUrl(
      {
        outTradeNo: order.outTradeNo,
        amountFen: order.amountFen,
        subject: `Reelay ${pkg.name} (${quotaToCredits(pkg.credits, this.config.quotaPerCredit)} credits)`,
      },
      `${this.config.serverAddress}/api/payment/alipay/notify`,
    );
    return { order: this.toOrder(order), pay_url: payUrl };
  }

  async listOwn(user: AuthUser, query: PageQueryDto): Promise<Page<OrderDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.payments.listOrders({ userId: user.id }, page);
    return pageOf(rows, total, page, (o) => this.toOrder(o));
  }

  async listAll(_admin: AuthUser, q: AdminOrderQueryDto): Promise<Page<AdminOrderDto>> {
    const page = toPageRequest(q);
    const [rows, total] = await this.payments.listOrders(
      { userId: q.user_id, status: q.status, createdFrom: q.created_from, createdTo: q.created_to },
      page,
    );
    return pageOf(rows, total, page, (o) => ({ ...this.toOrder(o), user_id: o.userId, trade_no: o.tradeNo }));
  }

  // Orders whose notify never came: ask Alipay, settle the paid ones the same way, close the
  // ones past their expiry. Returns how many were settled.
  async checkPendingOrders(): Promise<number> {
    if (!this.alipay.configured) return 0;
    const now = this.clock.now();
    let settled = 0;
    for (const order of await this.payments.claimDueChecks(now, CHECK_BATCH, this.config.orderCheckAfterSeconds)) {
      try {
        const trade = await this.alipay.queryTrade(order.outTradeNo);
        if (this.settlement.isPaid(trade.tradeStatus)) {
          const checked = await this.settlement.checkMerchant({
            outTradeNo: order.outTradeNo,
            tradeNo: trade.tradeNo,
            totalAmount: trade.totalAmount,
            sellerId: trade.sellerId,
            appId: null,
          });
          if (checked && (await this.settlement.settle(checked, trade.tradeNo)) === 'settled') settled++;
        } else if (trade.tradeStatus === 'TRADE_CLOSED' || now - order.createdAt > this.config.orderExpireSeconds) {
          await this.payments.markClosed(order.outTradeNo, now);
        }
      } catch (err) {
        this.logger.warn(
          { out_trade_no: order.outTradeNo, err: (err as Error).message },
          'trade query failed; will retry',
        );
      }
    }
    return settled;
  }

  private quota(credits: number): number {
    const q = creditsToQuota(credits, this.config.quotaPerCredit);
    if (q === null) throw DomainError.validation('credits', 'has more decimals than a quota unit');
    return q;
  }

  private toPackage(p: CreditPackage): PackageDto {
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      price_fen: p.priceFen,
      price_yuan: fenToYuan(p.priceFen),
      credits: quotaToCredits(p.credits, this.config.quotaPerCredit),
      grants_plan: p.grantsPlan,
      status: p.status,
      sort: p.sort,
    };
  }

  private toOrder(o: PaymentOrder): OrderDto {
    return {
      id: o.id,
      out_trade_no: o.outTradeNo,
      package_id: o.packageId,
      amount_fen: o.amountFen,
      credits: quotaToCredits(o.credits, this.config.quotaPerCredit),
      status: o.status,
      paid_at: o.paidAt,
      created_at: o.createdAt,
    };
  }
}

// RL + UTC timestamp + 10 random characters: unique, sortable, within Alipay's 64.
function newOutTradeNo(now: number): string {
  const ts = new Date(now * 1000).toISOString().replace(/\D/g, '').slice(0, 14);
  return `RL${ts}${randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10)}`;
}
