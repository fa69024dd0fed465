import { useMutation } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { sessionStore } from '../../auth/session';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../components/form-errors';
import { emailRules, newPasswordRules, sameAsRule } from '../../lib/validation';
import { AuthFrame } from './auth-frame';

export default function RegisterPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const navigate = useNavigate();
  const register = useMutation({
    mutationFn: (body: { email: string; password: string }) => unwrap(api.POST('/api/auth/register', { body })),
    onSuccess: (s) => {
      sessionStore.set(s.access_token, s.user, s.expires_in);
      void navigate('/', { replace: true });
    },
    onError: (err) => applyFieldErrors(form, err),
  });
  return (
    <AuthFrame title={t('auth.registerTitle')}>
      <ErrorAlert error={register.error} />
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v: { email: string; password: string }) => register.mutate({ email: v.email, password: v.password })}
      >
        <Form.Item name="email" label={t('auth.email')} rules={emailRules(t)}>
          <Input autoComplete="username" inputMode="email" />
        </Form.Item>
        <Form.Item name="password" label={t('auth.password')} rules={newPasswordRules(t)}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.confirmPassword')}
          dependencies={['password']}
          rules={[{ required: true, message: t('validation.required') }, sameAsRule(t, 'password')]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={register.isPending}>
          {t('auth.register')}
        </Button>
      </Form>
      <div style={{ marginTop: 16, textAlign: 'center' }}>
        <Link to="/login">{t('auth.haveAccount')}</Link>
      </div>
    </AuthFrame>
  );
}
