import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { sessionStore } from '../../auth/session';
import { useSession } from '../../auth/use-session';
import { ErrorAlert } from '../../components/error-alert';
import { emailRules } from '../../lib/validation';
import { AuthFrame } from './auth-frame';

// Only same-site paths: `next` must not send the user to another origin.
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const next = safeNext(params.get('next'));
  const login = useMutation({
    mutationFn: (body: { email: string; password: string }) => unwrap(api.POST('/api/auth/login', { body })),
    onSuccess: (s) => {
      sessionStore.set(s.access_token, s.user, s.expires_in);
      void navigate(next, { replace: true });
    },
  });
  if (session && !login.isPending) return <Navigate to={next} replace />;
  const expired = sessionStore.lastEndReason() === 'expired';
  return (
    <AuthFrame title={t('auth.loginTitle')}>
      {expired && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('auth.sessionEnded')} />}
      <ErrorAlert error={login.error} />
      <Form
        layout="vertical"
        requiredMark={false}
        onFinish={(v: { email: string; password: string }) => login.mutate(v)}
      >
        <Form.Item name="email" label={t('auth.email')} rules={emailRules(t)}>
          <Input autoComplete="username" autoFocus inputMode="email" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending}>
          {t('auth.login')}
        </Button>
      </Form>
      <div style={{ marginTop: 16, textAlign: 'center' }}>
        <Link to="/register">{t('auth.noAccount')}</Link>
      </div>
    </AuthFrame>
  );
}
