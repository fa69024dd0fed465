import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError } from '../api/client';
import { router } from './router';
import { useThemeMode } from './theme';

// Cached reads with retries, except for answers a retry cannot change (4xx).
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
    },
  },
});

export function App() {
  const { i18n } = useTranslation();
  const mode = useThemeMode();
  const zh = i18n.language === 'zh-CN';
  dayjs.locale(zh ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      locale={zh ? zhCN : enUS}
      theme={{
        algorithm: mode === 'dark' ? theme.darkAlgorithm : theme.defaultAlgorithm,
        // Darker than antd's defaults where its text colours fall short of WCAG AA (4.5:1) on light backgrounds.
        token:
          mode === 'dark'
            ? { colorPrimary: '#1668dc', borderRadius: 6 }
            : {
                colorPrimary: '#1668dc',
                colorLink: '#0958d9',
                colorError: '#c41d1d',
                colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
                colorTextDescription: 'rgba(0, 0, 0, 0.65)',
                colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
                colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
                borderRadius: 6,
              },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
