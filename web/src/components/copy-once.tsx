import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

// A secret the server shows only once (an API key, a generated password, a setup link).
export function CopyOnce({ label, value, warning }: { label: string; value: string; warning?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
  };
  return (
    <div>
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={warning ?? t('common.shownOnce')} />
      <Space.Compact style={{ width: '100%' }}>
        <Input
          readOnly
          value={value}
          aria-label={label}
          data-testid="secret-value"
          onFocus={(e) => e.target.select()}
        />
        <Button type="primary" icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={() => void copy()}>
          {copied ? t('common.copied') : t('common.copy')}
        </Button>
      </Space.Compact>
    </div>
  );
}
