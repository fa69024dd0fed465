import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Col, Form, InputNumber, Modal, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../components/form-errors';
import { dailyWithinMonthlyRule, spendCapRules } from '../../lib/validation';

export interface CapsForm {
  credits_per_day?: number | null;
  credits_per_month?: number | null;
}

// PATCH /api/tokens/{id}: both caps, an empty one (null) removes it.
export function capsBody(v: CapsForm): Schemas['UpdateTokenCapsDto'] {
  return { credits_per_day: v.credits_per_day ?? null, credits_per_month: v.credits_per_month ?? null };
}

// The two caps of a key (credits per UTC day and per UTC month); empty means no cap.
export function CapFields() {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('keys.capsHelp')}
      </Typography.Paragraph>
      <Row gutter={8}>
        <Col xs={24} sm={12}>
          <Form.Item
            name="credits_per_day"
            label={t('keys.capDay')}
            dependencies={['credits_per_month']}
            rules={[...spendCapRules(t), dailyWithinMonthlyRule(t, 'credits_per_month')]}
          >
            <InputNumber style={{ width: '100%' }} min={0} placeholder={t('keys.noCap')} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="credits_per_month" label={t('keys.capMonth')} rules={spendCapRules(t)}>
            <InputNumber style={{ width: '100%' }} min={0} placeholder={t('keys.noCap')} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

export function CapsModal({ k, onClose }: { k: Schemas['ApiTokenDto']; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<CapsForm>();
  const save = useMutation({
    mutationFn: (v: CapsForm) =>
      unwrap(api.PATCH('/api/tokens/{id}', { params: { path: { id: k.id } }, body: capsBody(v) })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['tokens'] });
      onClose();
    },
    onError: (err) => applyFieldErrors(form, err),
  });
  return (
    <Modal
      title={t('keys.capsOf', { name: k.name })}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <ErrorAlert error={save.error} />
      <Form<CapsForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ credits_per_day: k.credits_per_day, credits_per_month: k.credits_per_month }}
        onFinish={(v) => save.mutate(v)}
      >
        <CapFields />
      </Form>
    </Modal>
  );
}
