import { useState } from 'react';

export interface Paging {
  page: number;
  page_size: number;
}

// ?page=&page_size= state for a table, and the antd pagination props that drive it.
export function usePaging(pageSize = 20) {
  const [paging, setPaging] = useState<Paging>({ page: 1, page_size: pageSize });
  const pagination = (total: number | undefined) => ({
    current: paging.page,
    pageSize: paging.page_size,
    total: total ?? 0,
    showSizeChanger: false,
    onChange: (page: number) => setPaging((p) => ({ ...p, page })),
  });
  return { paging, setPaging, pagination, reset: () => setPaging((p) => ({ ...p, page: 1 })) };
}
