import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';
import { CatalogViews } from './catalog-views.service';

// The model catalog: what each model can do, mapped onto its provider, priced from the price table.
@Module({
  imports: [BillingModule],
  controllers: [CatalogController],
  providers: [CatalogService, CatalogViews],
  exports: [CatalogService],
})
export class CatalogModule {}
