import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { sessionStore } from '../../auth/session';
import { useSession } from '../../auth/use-session';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../components/form-errors';
import { PageHeader } from '../../components/page-header';
import { newPasswordRules, sameAsRule } from '../../lib/validation';

interface ChangeForm {
  current_password: string;
  new_password: string;
  confirm: string;
}

export default function AccountPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [form] = Form.useForm<ChangeForm>();
  const change = useMutation({
    mutationFn: (v: ChangeForm) =>
      unwrap(
        api.POST('/api/users/me/password', {
          body: { current_password: v.current_password, new_password: v.new_password },
        }),
      ),
    onSuccess: (s) => {
      sessionStore.set(s.access_token, s.user, s.expires_in); // the old token ended with the change
      form.resetFields();
    },
    onError: (err) => applyFieldErrors(form, err),
  });
  const user = session?.user;
  return (
    <>
      <PageHeader title={t('nav.account')} />
      {user && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
            <Descriptions.Item label={t('auth.email')}>{user.email}</Descriptions.Item>
            <Descriptions.Item label={t('users.role')}>{t(`role.${user.role}`)}</Descriptions.Item>
            <Descriptions.Item label={t('users.plan')}>{t(`plan.${user.plan}`)}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Card size="small" title={t('account.changePassword')} style={{ maxWidth: 480 }}>
        {change.isSuccess && (
          <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('account.changed')} />
        )}
        <ErrorAlert error={change.isError && !form.getFieldError('current_password').length ? change.error : null} />
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => change.mutate(v)}>
          <input type="text" name="username" autoComplete="username" value={user?.email ?? ''} readOnly hidden />
          <Form.Item
            name="current_password"
            label={t('account.currentPassword')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="new_password" label={t('auth.newPassword')} rules={newPasswordRules(t)}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('auth.confirmPassword')}
            dependencies={['new_password']}
            rules={[{ required: true, message: t('validation.required') }, sameAsRule(t, 'new_password')]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={change.isPending}>
            {t('account.change')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
