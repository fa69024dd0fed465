import { useSyncExternalStore } from 'react';

export type ThemeMode = 'light' | 'dark';
const KEY = 'reelay.theme';
const listeners = new Set<() => void>();

function initial(): ThemeMode {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

let mode: ThemeMode = initial();

export function setThemeMode(next: ThemeMode): void {
  mode = next;
  localStorage.setItem(KEY, next);
  document.documentElement.dataset.theme = next;
  for (const fn of listeners) fn();
}

export function useThemeMode(): ThemeMode {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => mode,
  );
}

if (typeof document !== 'undefined') document.documentElement.dataset.theme = mode;
