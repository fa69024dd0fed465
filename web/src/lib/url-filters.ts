import { useSearchParams } from 'react-router';

// Readers for filter values kept in the URL: anything malformed reads as "no filter".
export const urlParam = {
  id(p: URLSearchParams, k: string): number | undefined {
    const v = p.get(k);
    return v !== null && /^\d{1,12}$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
  },
  text(p: URLSearchParams, k: string): string | undefined {
    return p.get(k)?.trim() || undefined;
  },
  oneOf<T extends string>(p: URLSearchParams, k: string, allowed: readonly T[]): T | undefined {
    return allowed.find((v) => v === p.get(k));
  },
};

type Value = string | number | null | undefined;

// A list page's filters and page number, kept in the URL so that a filtered view is a link
// (/admin/videos?user_id=7&status=failed). Changing a filter goes back to the first page.
export function useUrlFilters<F extends object>(parse: (p: URLSearchParams) => F, pageSize = 20) {
  const [params, setParams] = useSearchParams();
  const f = parse(params);
  const page = urlParam.id(params, 'page') ?? 1;
  const write = (patch: Record<string, Value>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next, { replace: true });
  };
  return {
    f,
    paging: { page, page_size: pageSize },
    set: (patch: Partial<F>) => write({ ...(patch as Record<string, Value>), page: undefined }),
    clear: () => setParams(new URLSearchParams(), { replace: true }),
    pagination: (total: number | undefined) => ({
      current: page,
      pageSize,
      total: total ?? 0,
      showSizeChanger: false,
      onChange: (n: number) => write({ page: n > 1 ? n : undefined }),
    }),
  };
}
