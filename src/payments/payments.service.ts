import { randomBytes } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AuditService } from '../audit/audit.service';
import { creditsToQuota, quotaToCredits } from '../common/money/money';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { Idempotency } from '../common/idempotency/idempotency.service';
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

export const ORDER_CREATE_REPLAY = 'payments.order';

const packageTarget = (id: number) => ({ type: 'package', id });

@Injectable()
export class PaymentsService implements OnModuleInit {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly alipay: AlipayGateway,
    private readonly settlement: SettlementService,
    private readonly idempotency: Idempotency,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    private readonly audit: AuditService,
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

  async createPackage(admin: AuthUser, dto: CreatePackageDto): Promise<PackageDto> {
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
      return await this.db.tx(async (em) => {
        const created = this.toPackage(await this.payments.insertPackage(fields, this.clock.now(), em));
        await this.audit.record(em, admin, {
          action: 'package.create',
          target: packageTarget(created.id),
          after: created,
        });
        return created;
      });
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
    return this.db.tx(async (em) => {
      const before = await this.payments.findPackage(id, em);
      if (!before) throw DomainError.notFound('Package');
      await this.payments.updatePackage(id, f, this.clock.now(), em);
      const after = this.toPackage((await this.payments.findPackage(id, em)) as CreditPackage);
      await this.audit.record(em, admin, {
        action: 'package.update',
        target: packageTarget(id),
        before: this.toPackage(before),
        after,
      });
      return after;
    });
  }

  // The order and its Alipay page-pay URL; the order keeps the package's price and credits as
  // they were when it was bought.
  onModuleInit(): void {
    this.idempotency.register(ORDER_CREATE_REPLAY, async (userId, ref) => {
      const order = await this.payments.findOrderByTradeNo(ref.id);
      const pkg = order && order.userId === userId ? await this.payments.findPackage(order.packageId) : null;
      if (!order || !pkg) throw DomainError.notFound('Order');
      return { status: 201, body: this.created(order, pkg) };
    });
  }

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
    const order = await this.db.tx(async (em) => {
      const created = await this.payments.insertOrder(
        {
          outTradeNo: newOutTradeNo(now),
          userId: user.id,
          packageId: pkg.id,
          amountFen: pkg.priceFen,
          credits: pkg.credits,
          grantsPlan: pkg.grantsPlan,
          nextCheckAt: now + this.config.orderCheckAfterSeconds,
          createdAt: now,
        },
        em,
      );
      await this.idempotency.recordCreated(em, { type: 'order', id: created.outTradeNo });
      return created;
    });
    return this.created(order, pkg);
  }

  // An order and the page that pays it (a retry of a lost answer gets the same order).
  private created(order: PaymentOrder, pkg: CreditPackage): CreatedOrderDto {
    const payUrl = this.alipay.pagePayUrl(
      {
        outTradeNo: order.outTradeNo,
        amountFen: order.amountFen,
        subject: `Reelay ${pkg.name} (${quotaToCredits(pkg.credits, this.config.quotaPerCredit)} credits)`,
        expiresAt: order.createdAt + this.config.orderExpireSeconds,
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

  // Orders whose notify never came: ask Alipay (every answer signature-checked), settle the paid
  // ones the same way, and close the ones past their expiry only once Alipay has closed them too
  // (or never opened them). Returns how many were settled.
  async checkPendingOrders(): Promise<number> {
    if (!this.alipay.configured) return 0;
    const now = this.clock.now();
    let settled = 0;
    for (const order of await this.payments.claimDueChecks(now, CHECK_BATCH, this.config.orderCheckAfterSeconds)) {
      try {
        if ((await this.checkOrder(order, now)) === 'settled') settled++;
      } catch (err) {
        this.logger.warn(
          { out_trade_no: order.outTradeNo, err: (err as Error).message },
          'trade query failed; will retry',
        );
      }
    }
    return settled;
  }

  private async checkOrder(order: PaymentOrder, now: number): Promise<'settled' | 'closed' | 'pending'> {
    const trade = await this.alipay.queryTrade(order.outTradeNo);
    if (this.settlement.isPaid(trade.tradeStatus)) {
      const checked = await this.settlement.checkMerchant({
        outTradeNo: order.outTradeNo,
        tradeNo: trade.tradeNo,
        totalAmount: trade.totalAmount,
        sellerId: trade.sellerId,
        appId: null,
      });
      const verdict = checked ? await this.settlement.settle(checked, trade.tradeNo) : 'rejected';
      return verdict === 'settled' || verdict === 'late_settled' ? 'settled' : 'pending';
    }
    const expired = now - order.createdAt > this.config.orderExpireSeconds;
    if (trade.tradeStatus !== 'TRADE_CLOSED' && !expired) return 'pending';
    if (trade.tradeStatus !== 'TRADE_CLOSED') {
      const closed = await this.alipay.closeTrade(order.outTradeNo);
      // Paid between the query and the close: the next check settles it.
      if (closed === 'not_closable') return 'pending';
    }
    if (await this.payments.markClosed(order.outTradeNo, now)) {
      this.logger.info({ out_trade_no: order.outTradeNo, trade_status: trade.tradeStatus }, 'order closed');
    }
    return 'closed';
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
