import { AutoComplete, Col, Form, Input, InputNumber, Radio, Row, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { modelsOf, type CatalogModel } from '../../lib/catalog';
import { httpUrlRule, joinKlingKey, klingPartRules, modelListRule } from '../../lib/validation';

export type ChannelType = Schemas['CreateChannelDto']['type'];

export const KLING_BASE_URLS = [
  'https://api-singapore.klingai.com',
  'https://api-beijing.klingai.com',
  'https://api.klingai.com',
];

export interface ChannelFormValues {
  name: string;
  type: ChannelType;
  base_url?: string;
  ak?: string;
  sk?: string;
  api_key?: string;
  webhook_key?: string;
  models: string[];
  priority: number;
  weight: number;
  status: 'enabled' | 'disabled';
}

// The request body: Kling's two inputs become the stored `AK|SK`; on edit, empty secrets keep the old ones.
export function channelBody(
  v: ChannelFormValues,
  editing: boolean,
): Schemas['CreateChannelDto'] | Schemas['UpdateChannelDto'] {
  const key =
    v.type === 'kling'
      ? v.ak || v.sk
        ? joinKlingKey(v.ak ?? '', v.sk ?? '')
        : undefined
      : v.api_key?.trim() || undefined;
  const body = {
    name: v.name.trim(),
    ...(v.base_url?.trim() ? { base_url: v.base_url.trim() } : {}),
    ...(key ? { key } : {}),
    ...(v.type === 'kie' && v.webhook_key?.trim() ? { webhook_key: v.webhook_key.trim() } : {}),
    models: v.models,
    priority: v.priority,
    weight: v.weight,
    status: v.status,
  };
  return editing ? body : { ...body, type: v.type, key: key ?? '' };
}

// The models offered for a channel type: the catalog's (priced) models of that provider. Any other
// model id may still be typed; the server checks it.
export function ChannelForm({
  form,
  editing,
  catalog,
  onFinish,
}: {
  form: FormInstance<ChannelFormValues>;
  editing: boolean;
  catalog: CatalogModel[];
  onFinish: (v: ChannelFormValues) => void;
}) {
  const { t } = useTranslation();
  const type: ChannelType = Form.useWatch('type', form) ?? 'kling';
  const secret = (rules: ReturnType<typeof klingPartRules>) =>
    editing ? rules.filter((r) => !('required' in r)) : rules;
  return (
    <Form<ChannelFormValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={onFinish}
      initialValues={{ type: 'kling', priority: 0, weight: 1, status: 'enabled', models: modelsOf(catalog, 'kling') }}
    >
      <Form.Item
        name="name"
        label={t('channels.name')}
        rules={[
          { required: true, whitespace: true, message: t('validation.required') },
          { max: 100, message: t('validation.tooLong', { max: 100 }) },
        ]}
      >
        <Input placeholder="Kling Singapore #1" />
      </Form.Item>
      <Form.Item name="type" label={t('channels.type')}>
        <Radio.Group
          disabled={editing}
          optionType="button"
          options={[
            { label: 'Kling', value: 'kling' },
            { label: 'KIE (Sora 2)', value: 'kie' },
            { label: 'VivaAPI (Veo)', value: 'viva' },
          ]}
          onChange={(e) => form.setFieldValue('models', modelsOf(catalog, e.target.value as ChannelType))}
        />
      </Form.Item>
      <Form.Item
        name="base_url"
        label={t('channels.baseUrl')}
        rules={[httpUrlRule(t)]}
        extra={type === 'kling' ? t('channels.baseUrlKling') : t('channels.baseUrlDefault')}
      >
        <AutoComplete
          options={type === 'kling' ? KLING_BASE_URLS.map((value) => ({ value })) : []}
          placeholder={type === 'kling' ? KLING_BASE_URLS[0] : 'https://…'}
        />
      </Form.Item>
      {editing && <Typography.Paragraph type="secondary">{t('channels.keepSecret')}</Typography.Paragraph>}
      {type === 'kling' ? (
        <Row gutter={8}>
          <Col xs={24} sm={12}>
            <Form.Item name="ak" label={t('channels.accessKey')} rules={secret(klingPartRules(t))}>
              <Input autoComplete="off" placeholder="AK…" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="sk" label={t('channels.secretKey')} rules={secret(klingPartRules(t))}>
              <Input.Password autoComplete="new-password" placeholder="SK…" />
            </Form.Item>
          </Col>
        </Row>
      ) : (
        <Form.Item
          name="api_key"
          label={t('channels.apiKey')}
          rules={
            editing
              ? [{ min: 3, message: t('validation.tooShort', { min: 3 }) }]
              : [
                  { required: true, whitespace: true, message: t('validation.required') },
                  { min: 3, message: t('validation.tooShort', { min: 3 }) },
                ]
          }
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      )}
      {type === 'kie' && (
        <Form.Item
          name="webhook_key"
          label={t('channels.webhookKey')}
          extra={t('channels.webhookKeyHelp')}
          rules={[
            { min: 8, message: t('validation.tooShort', { min: 8 }) },
            { max: 256, message: t('validation.tooLong', { max: 256 }) },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      )}
      <Form.Item name="models" label={t('channels.models')} rules={[modelListRule(t)]}>
        <Select
          mode="tags"
          options={catalog
            .filter((m) => m.provider === type)
            .map((m) => ({ value: m.id, label: `${m.id} — ${m.name}` }))}
          tokenSeparators={[',', ' ']}
          aria-label={t('channels.models')}
        />
      </Form.Item>
      <Row gutter={8}>
        <Col span={12}>
          <Form.Item
            name="priority"
            label={t('channels.priority')}
            extra={t('channels.priorityHelp')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber min={-1000} max={1000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="weight"
            label={t('channels.weight')}
            extra={t('channels.weightHelp')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="status" label={t('common.status')}>
        <Radio.Group
          options={[
            { label: t('status.enabled'), value: 'enabled' },
            { label: t('status.disabled'), value: 'disabled' },
          ]}
        />
      </Form.Item>
    </Form>
  );
}
