import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { sessionStore } from '../../auth/session';
import { ErrorAlert } from '../../components/error-alert';
import { formatTime } from '../../components/time';
import { newPasswordRules, sameAsRule } from '../../lib/validation';
import { AuthFrame } from './auth-frame';

// The one-time link an admin hands out: /set-password#token=… (the fragment never reaches a server log).
export default function SetPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const token = new URLSearchParams(useLocation().hash.replace(/^#/, '')).get('token') ?? '';
  const info = useQuery({
    queryKey: ['password-link', token],
    queryFn: () => unwrap(api.POST('/api/auth/password-links/inspect', { body: { token } })),
    enabled: token !== '',
    retry: false,
  });
  const redeem = useMutation({
    mutationFn: (password: string) =>
      unwrap(api.POST('/api/auth/password-links/redeem', { body: { token, password } })),
    onSuccess: (s) => {
      sessionStore.set(s.access_token, s.user, s.expires_in);
      void navigate('/', { replace: true });
    },
  });
  return (
    <AuthFrame title={t('auth.setPasswordTitle')}>
      {(!token || info.isError) && (
        <Alert
          type="error"
          showIcon
          title={t('auth.linkInvalid')}
          description={<Link to="/login">{t('auth.login')}</Link>}
        />
      )}
      {info.isLoading && <Spin />}
      {info.data && (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('auth.linkFor', { email: info.data.email })}
            description={t('auth.linkExpires', { time: formatTime(info.data.expires_at) })}
          />
          <ErrorAlert error={redeem.error} />
          <Form
            layout="vertical"
            requiredMark={false}
            onFinish={(v: { password: string }) => redeem.mutate(v.password)}
          >
            <input type="text" name="username" autoComplete="username" value={info.data.email} readOnly hidden />
            <Form.Item name="password" label={t('auth.newPassword')} rules={newPasswordRules(t)}>
              <Input.Password autoComplete="new-password" autoFocus />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t('auth.confirmPassword')}
              dependencies={['password']}
              rules={[{ required: true, message: t('validation.required') }, sameAsRule(t, 'password')]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={redeem.isPending}>
              {t('auth.setPassword')}
            </Button>
          </Form>
        </>
      )}
    </AuthFrame>
  );
}
