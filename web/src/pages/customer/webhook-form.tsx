import { Checkbox, Form, Input, Switch } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { webhookUrlRules } from '../../lib/validation';

export type WebhookEvent = Schemas['CreateWebhookDto']['events'] extends (infer E)[] | undefined ? E : never;
export const WEBHOOK_EVENTS: WebhookEvent[] = ['video.completed', 'video.failed', 'batch.completed'];

export interface WebhookFormValues {
  url: string;
  events: WebhookEvent[];
  description?: string;
  enabled?: boolean; // on edit only (a new endpoint is enabled)
}

export function webhookBody(v: WebhookFormValues): Schemas['CreateWebhookDto'] & Schemas['UpdateWebhookDto'] {
  const description = v.description?.trim();
  return {
    url: v.url.trim(),
    events: v.events,
    ...(v.enabled !== undefined ? { enabled: v.enabled } : {}),
    ...(description ? { description } : {}),
  };
}

// On edit an emptied description is removed (null), not left as it was.
export function webhookPatch(v: WebhookFormValues): Schemas['UpdateWebhookDto'] {
  return { ...webhookBody(v), description: v.description?.trim() || null };
}

export function WebhookForm({
  form,
  editing,
  onFinish,
}: {
  form: FormInstance<WebhookFormValues>;
  editing: boolean;
  onFinish: (v: WebhookFormValues) => void;
}) {
  const { t } = useTranslation();
  return (
    <Form<WebhookFormValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={onFinish}
      initialValues={{ events: WEBHOOK_EVENTS, enabled: true }}
    >
      <Form.Item name="url" label={t('webhooks.url')} rules={webhookUrlRules(t)} extra={t('webhooks.urlHelp')}>
        <Input placeholder="https://example.com/hooks/reelay" autoFocus={!editing} />
      </Form.Item>
      <Form.Item
        name="events"
        label={t('webhooks.events')}
        rules={[{ required: true, type: 'array', min: 1, message: t('webhooks.pickEvent') }]}
      >
        <Checkbox.Group
          options={WEBHOOK_EVENTS.map((e) => ({ value: e, label: t(`webhooks.event.${e.replace('.', '_')}`) }))}
        />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('webhooks.description')}
        rules={[{ max: 255, message: t('validation.tooLong', { max: 255 }) }]}
      >
        <Input maxLength={255} />
      </Form.Item>
      {editing && (
        <Form.Item name="enabled" label={t('common.status')} valuePropName="checked">
          <Switch checkedChildren={t('status.enabled')} unCheckedChildren={t('status.disabled')} />
        </Form.Item>
      )}
    </Form>
  );
}
