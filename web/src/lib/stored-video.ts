import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ApiError, unwrap } from '../api/client';

export type StoreStatus = 'pending' | 'stored' | 'failed' | null;

// The content endpoint's 404 says how far the copy is: `details.store_status` (and store_error).
export function storeStateOf(err: unknown): { status: StoreStatus; error: string | null } | null {
  if (!(err instanceof ApiError) || err.status !== 404) return null;
  const d = err.details as { store_status?: unknown; store_error?: unknown } | null;
  if (!d || typeof d !== 'object' || !('store_status' in d)) return null;
  const status = d.store_status === 'pending' || d.store_status === 'failed' ? d.store_status : null;
  return { status, error: typeof d.store_error === 'string' ? d.store_error : null };
}

const EXTENSIONS: Record<string, string> = { 'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm' };

export function fileNameFor(taskId: string, contentType: string): string {
  return `${taskId}.${EXTENSIONS[contentType.split(';')[0].trim()] ?? 'mp4'}`;
}

// Reelay's stored copy of a finished video, read by its owner through GET /api/videos/{id}/content
// (the same credential that made it) into an object URL the page plays and downloads. Asked again
// while the copy is still being made (it starts when the task succeeds).
export function useStoredVideo(taskId: string, headers: Record<string, string> | undefined, enabled: boolean) {
  const content = useQuery({
    queryKey: ['stored-video', taskId],
    queryFn: () =>
      unwrap<Blob>(
        api.GET('/api/videos/{task_id}/content', {
          params: { path: { task_id: taskId } },
          headers,
          parseAs: 'blob',
        }),
      ),
    enabled,
    staleTime: Infinity,
    gcTime: 0,
    retry: (count, err) => storeStateOf(err)?.status === 'pending' && count < 200,
    retryDelay: 1500,
  });
  const blob = content.data;
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return;
    const u = URL.createObjectURL(blob);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the object URL is an external resource, made and revoked with the blob
    setUrl(u);
    return () => {
      URL.revokeObjectURL(u);
      setUrl(null);
    };
  }, [blob]);
  const store = storeStateOf(content.error);
  return {
    url,
    fileName: blob ? fileNameFor(taskId, blob.type) : null,
    waiting: enabled && !content.error && !url,
    store, // why there is no copy, when Reelay said so
    error: store ? null : content.error,
  };
}
