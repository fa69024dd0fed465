import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../api/client';

// An API failure as the API said it: message, each wrong field, and the request id to quote.
export function ErrorAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  const { t } = useTranslation();
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const message = errorMessage(error);
  const fields = api?.fieldErrors ?? [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16, ...style }}
      title={message}
      description={
        fields.length > 0 || api?.requestId ? (
          <>
            {fields.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {fields.map((f) => (
                  <li key={f.field}>
                    <code>{f.field}</code>: {f.message}
                  </li>
                ))}
              </ul>
            )}
            {api?.requestId && (
              <div style={{ opacity: 0.7, fontSize: 12 }}>
                {t('common.requestId')}: {api.requestId}
              </div>
            )}
          </>
        ) : undefined
      }
    />
  );
}
