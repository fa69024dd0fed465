import { Card, Segmented, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../../i18n';

// The frame of the pages a visitor sees before logging in.
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 12 }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} align="center">
          <Typography.Text strong style={{ fontSize: 18 }}>
            Reelay
          </Typography.Text>
          <Segmented
            size="small"
            aria-label={t('common.language')}
            value={i18n.language}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'EN', value: 'en' },
            ]}
            onChange={(v) => setLanguage(v as Language)}
          />
        </Space>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
          {title}
        </Typography.Title>
        {children}
      </Card>
    </main>
  );
}
