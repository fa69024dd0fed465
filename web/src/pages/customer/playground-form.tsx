import { UploadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Radio, Select, Space, Typography, Upload } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Credits } from '../../components/credits';
import { formatCredits } from '../../lib/money';
import { ErrorAlert } from '../../components/error-alert';
import { needsImage, optionsFor, sizeLabel, type CatalogModel } from '../../lib/catalog';
import {
  apiKeyRules,
  IMAGE_TYPES,
  imageFileRules,
  imageUrlRules,
  playPrice,
  promptRules,
  PROMPT_MAX,
  referenceChoices,
  type PlayValues,
} from '../../lib/playground';

const PROVIDERS: Record<CatalogModel['provider'], string> = {
  kling: 'Kling',
  kie: 'KIE (Sora 2)',
  viva: 'VivaAPI (Veo)',
};

// The first model that makes a video from text alone (the usual first try), else the first one.
export function defaultModel(models: CatalogModel[]): CatalogModel | undefined {
  return models.find((m) => !needsImage(m)) ?? models[0];
}

export function initialValues(models: CatalogModel[]): Partial<PlayValues> {
  const m = defaultModel(models);
  return m
    ? { model: m.id, ...optionsFor(m), reference: referenceChoices(m)[0], credential: 'session' }
    : { credential: 'session', reference: 'none' };
}

// The playground's form over the catalog: any model, its seconds and sizes, an optional (or
// required) first frame, and the price of exactly that combination before anything is sent.
export function PlaygroundForm({
  models,
  onSubmit,
  pending = false,
  error,
}: {
  models: CatalogModel[];
  onSubmit: (v: PlayValues) => void;
  pending?: boolean;
  error?: unknown;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PlayValues>();
  const initial = useMemo(() => initialValues(models), [models]);
  const values = (Form.useWatch([], form) as Partial<PlayValues> | undefined) ?? initial;
  const model = models.find((m) => m.id === values.model);
  const price = playPrice(model, values);
  const choices = model ? referenceChoices(model) : [];

  const grouped = Object.entries(PROVIDERS)
    .map(([provider, label]) => ({
      label,
      title: label,
      options: models.filter((m) => m.provider === provider).map((m) => ({ value: m.id, label: m.id, title: m.name })),
    }))
    .filter((g) => g.options.length > 0);

  // A new model keeps the seconds, size and reference choice it also offers, else takes its defaults.
  const onValuesChange = (changed: Partial<PlayValues>) => {
    if (!changed.model) return;
    const next = models.find((m) => m.id === changed.model);
    if (!next) return;
    const current = form.getFieldsValue(['seconds', 'size', 'reference']) as Partial<PlayValues>;
    const refs = referenceChoices(next);
    form.setFieldsValue({
      ...optionsFor(next, current),
      reference: current.reference && refs.includes(current.reference) ? current.reference : refs[0],
    });
  };

  return (
    <Form<PlayValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={initial}
      onValuesChange={onValuesChange}
      onFinish={onSubmit}
    >
      <Form.Item
        name="model"
        label={t('playground.model')}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Select
          showSearch
          options={grouped}
          aria-label={t('playground.model')}
          optionFilterProp="value"
          data-testid="model-select"
        />
      </Form.Item>
      {model && (
        <Typography.Paragraph type="secondary" style={{ marginTop: -16 }}>
          {model.name}
        </Typography.Paragraph>
      )}
      <Form.Item name="prompt" label={t('playground.prompt')} rules={promptRules(t)}>
        <Input.TextArea rows={3} showCount maxLength={PROMPT_MAX} placeholder={t('playground.promptPlaceholder')} />
      </Form.Item>
      <Space wrap size="large" align="start">
        <Form.Item name="seconds" label={t('playground.seconds')}>
          {model && model.seconds.length > 5 ? (
            <Select
              style={{ width: 110 }}
              aria-label={t('playground.seconds')}
              options={model.seconds.map((s) => ({ value: s, label: `${s} s` }))}
            />
          ) : (
            <Radio.Group
              optionType="button"
              options={(model?.seconds ?? []).map((s) => ({ value: s, label: `${s} s` }))}
            />
          )}
        </Form.Item>
        <Form.Item name="size" label={t('playground.size')}>
          <Select
            style={{ minWidth: 220 }}
            aria-label={t('playground.size')}
            options={(model?.sizes ?? []).map((s) => ({ value: s.size, label: sizeLabel(model!, s.size) }))}
          />
        </Form.Item>
      </Space>
      {choices.length > 0 && (choices.length > 1 || choices[0] !== 'none') && (
        <Form.Item
          name="reference"
          label={t('playground.firstFrame')}
          extra={model && needsImage(model) ? t('playground.needsImage') : undefined}
        >
          <Radio.Group options={choices.map((c) => ({ value: c, label: t(`playground.reference_${c}`) }))} />
        </Form.Item>
      )}
      {values.reference === 'url' && choices.includes('url') && (
        <Form.Item name="image_url" label={t('playground.imageUrl')} rules={imageUrlRules(t)}>
          <Input placeholder="https://…/first-frame.png" />
        </Form.Item>
      )}
      {values.reference === 'upload' && choices.includes('upload') && (
        <Form.Item
          name="image_file"
          label={t('playground.imageFile')}
          valuePropName="fileList"
          getValueFromEvent={(e: { fileList: unknown[] }) => e.fileList.slice(-1)}
          rules={imageFileRules(t)}
          extra={t('playground.imageFileHelp')}
        >
          <Upload accept={IMAGE_TYPES.join(',')} maxCount={1} beforeUpload={() => false} listType="picture">
            <Button icon={<UploadOutlined />}>{t('playground.chooseImage')}</Button>
          </Upload>
        </Form.Item>
      )}
      <Form.Item name="credential" label={t('playground.credential')}>
        <Radio.Group
          options={[
            { label: t('playground.useSession'), value: 'session' },
            { label: t('playground.useKey'), value: 'key' },
          ]}
        />
      </Form.Item>
      {values.credential === 'key' && (
        <Form.Item name="apiKey" label={t('playground.apiKey')} rules={apiKeyRules(t)}>
          <Input.Password placeholder="sk-…" autoComplete="off" />
        </Form.Item>
      )}
      <div style={{ marginBottom: 16 }} aria-live="polite" data-testid="price">
        {t('playground.price')}:{' '}
        {price !== null ? (
          <Typography.Text strong>
            <Credits value={price} /> {t('common.credits')}
          </Typography.Text>
        ) : (
          t('playground.noPrice')
        )}{' '}
        <Typography.Text type="secondary">{t('playground.chargedOnSuccess')}</Typography.Text>
      </div>
      <ErrorAlert error={error} />
      <Button type="primary" htmlType="submit" loading={pending} disabled={price === null} block>
        {price !== null ? t('playground.generateFor', { credits: formatCredits(price) }) : t('playground.generate')}
      </Button>
    </Form>
  );
}
