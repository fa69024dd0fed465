import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const MAX_PAGE_SIZE = 100;
// Far past any real list, and small enough that page × page_size stays a safe SQL offset.
export const MAX_PAGE = 1_000_000;

// ?page=&page_size= for every list endpoint.
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  page_size: number = 20;
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  page_size: number;
  total: number;
}

export function toPageRequest(q: PageQueryDto): PageRequest {
  return { page: q.page, pageSize: q.page_size };
}

export function pageOf<T, R>(rows: T[], total: number, req: PageRequest, map: (row: T) => R): Page<R> {
  return { items: rows.map(map), page: req.page, page_size: req.pageSize, total };
}

// Swagger schema for Page<Item>, since generics vanish at runtime.
export function PageResponseDto<T>(item: new () => T, name: string): new () => Page<T> {
  class PageResponse {
    @ApiProperty({ type: [item] })
    items!: T[];

    @ApiProperty({ example: 1 })
    page!: number;

    @ApiProperty({ example: 20 })
    page_size!: number;

    @ApiProperty({ example: 42 })
    total!: number;
  }
  Object.defineProperty(PageResponse, 'name', { value: name });
  return PageResponse;
}
