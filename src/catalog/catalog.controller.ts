import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { QuoteDto, QuoteRequestDto } from '../billing/billing.dto';
import { Auth, CurrentUser, Public } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ApiBadRequest } from '../common/http/api-responses';
import { CatalogDto } from './catalog.dto';
import { CatalogViews } from './catalog-views.service';

@ApiTags('models')
@Controller('api')
export class CatalogController {
  constructor(private readonly views: CatalogViews) {}

  @Get('models')
  @Public()
  @ApiOperation({ summary: 'Every model Reelay offers: provider, seconds, sizes, image reference, and each price' })
  @ApiOkResponse({ type: CatalogDto })
  models(): Promise<CatalogDto> {
    return this.views.models();
  }

  // The quote reads the same catalog as every submit, so what it prices can be submitted.
  @Post('billing/quote')
  @HttpCode(200)
  @Auth({ apiTokens: true })
  @ApiTags('billing')
  @ApiOperation({ summary: 'Price of one video (the same check and price as a submit)' })
  @ApiOkResponse({ type: QuoteDto })
  @ApiBadRequest()
  @ApiUnprocessableEntityResponse({ description: 'The model has no price', type: ErrorBodyDto })
  quote(@CurrentUser() user: AuthUser, @Body() dto: QuoteRequestDto): Promise<QuoteDto> {
    return this.views.quote(user, dto);
  }
}
