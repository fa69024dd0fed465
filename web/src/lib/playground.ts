import type { Rule } from 'antd/es/form';
import type { UploadFile } from 'antd';
import type { TFunction } from 'i18next';
import type { Schemas } from '../api/client';
import { kindFor, needsImage, priceOf, takesImage, type CatalogModel } from './catalog';
import { httpUrlRule } from './validation';

export type Reference = 'none' | 'upload' | 'url';

export interface PlayValues {
  model: string;
  prompt: string;
  seconds: number;
  size: string;
  reference: Reference;
  image_url?: string;
  image_file?: UploadFile[];
  credential: 'session' | 'key';
  apiKey?: string;
}

export const PROMPT_MAX = 10_000; // POST /v1/videos
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024; // Kling's and KIE's limit on a first frame
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const API_KEY = /^\s*sk-[A-Za-z0-9]{48}\s*$/;

// The reference choices a model allows: none unless it needs a first frame; upload and URL when it takes one.
export function referenceChoices(model: CatalogModel): Reference[] {
  const out: Reference[] = needsImage(model) ? [] : ['none'];
  return takesImage(model) ? [...out, 'upload', 'url'] : out;
}

// What the chosen options cost, from the catalog; null when the model has no such combination.
export function playPrice(model: CatalogModel | undefined, v: Partial<PlayValues>): number | null {
  if (!model || v.seconds === undefined || !v.size) return null;
  const k = kindFor(model, v.reference === 'upload' || v.reference === 'url');
  return 'kind' in k ? priceOf(model, k.kind, v.seconds, v.size) : null;
}

export type VideoRequest = { json: Schemas['OpenAiCreateVideoDto'] } | { form: FormData }; // multipart, with the uploaded first frame as input_reference

// The POST /v1/videos body: JSON, or multipart when an image file goes with it.
export function videoRequest(v: PlayValues): VideoRequest {
  const fields = { model: v.model, prompt: v.prompt.trim(), seconds: String(v.seconds), size: v.size };
  const file = v.image_file?.[0]?.originFileObj;
  if (v.reference === 'upload' && file) {
    const form = new FormData();
    for (const [k, value] of Object.entries(fields)) form.append(k, value);
    form.append('input_reference', file, file.name);
    return { form };
  }
  if (v.reference === 'url' && v.image_url?.trim()) {
    return { json: { ...fields, input_reference: { image_url: v.image_url.trim() } } };
  }
  return { json: fields };
}

export function promptRules(t: TFunction): Rule[] {
  return [
    { required: true, whitespace: true, message: t('validation.required') },
    { max: PROMPT_MAX, message: t('validation.tooLong', { max: PROMPT_MAX }) },
  ];
}

export function imageUrlRules(t: TFunction): Rule[] {
  return [
    { required: true, whitespace: true, message: t('validation.required') },
    { max: 2048, message: t('validation.tooLong', { max: 2048 }) },
    httpUrlRule(t),
  ];
}

// One JPEG, PNG or WebP image of at most 10 MB.
export function imageFileRules(t: TFunction): Rule[] {
  return [
    {
      validator: (_r, files: UploadFile[] | undefined) => {
        const f = files?.[0];
        if (!f) return Promise.reject(new Error(t('validation.required')));
        if (!f.type || !IMAGE_TYPES.includes(f.type)) return Promise.reject(new Error(t('validation.imageType')));
        if ((f.size ?? 0) > IMAGE_MAX_BYTES) return Promise.reject(new Error(t('validation.imageSize', { mb: 10 })));
        return Promise.resolve();
      },
    },
  ];
}

export function apiKeyRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('validation.required') },
    { pattern: API_KEY, message: t('validation.apiKey') },
  ];
}

// The playground sends with the session unless an API key was chosen; that key is then the bearer.
export function credentialHeader(v: Pick<PlayValues, 'credential' | 'apiKey'>): Record<string, string> | undefined {
  return v.credential === 'key' && v.apiKey ? { authorization: `Bearer ${v.apiKey.trim()}` } : undefined;
}
