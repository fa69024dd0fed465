// Request validation and unit pricing for the Kling simulator, restated from
// docs/reference providers.md §1.5 (create endpoints) and §1.10 (published unit prices).

export type KlingKind = 'text2video' | 'image2video' | 'multi-image2video' | 'omni-video';
export const KLING_KINDS: readonly KlingKind[] = ['text2video', 'image2video', 'multi-image2video', 'omni-video'];

export function isKlingKind(s: string): s is KlingKind {
  return (KLING_KINDS as readonly string[]).includes(s);
}

const T2V_MODELS = [
  'kling-v1',
  'kling-v1-6',
  'kling-v2-master',
  'kling-v2-1-master',
  'kling-v2-5-turbo',
  'kling-v2-6',
  'kling-v3',
];

export const MODELS_BY_KIND: Readonly<Record<KlingKind, readonly string[]>> = {
  text2video: T2V_MODELS,
  image2video: [...T2V_MODELS, 'kling-v1-5', 'kling-v2-1'],
  'multi-image2video': ['kling-v1-6'],
  'omni-video': ['kling-video-o1', 'kling-v3-omni'],
};

const DEFAULT_MODEL: Readonly<Record<KlingKind, string>> = {
  text2video: 'kling-v1',
  image2video: 'kling-v1',
  'multi-image2video': 'kling-v1-6',
  'omni-video': 'kling-video-o1',
};

const ASPECT_RATIOS = ['16:9', '9:16', '1:1'];
const PROMPT_MAX = 2500;

// What the simulator needs to know about a valid create request.
export interface CreateSpec {
  model: string;
  mode: 'std' | 'pro';
  duration: number;
  prompt: string;
  externalTaskId: string | null;
  callbackUrl: string | null;
  watermark: boolean;
  sound: boolean;
  voices: boolean;
  videoInput: boolean;
}

export type Validation = { ok: true; spec: CreateSpec } | { ok: false; message: string };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Invalid extends Error {}

function fail(field: string, why: string): never {
  throw new Invalid(`Invalid parameter ${field}: ${why}`);
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(field, 'must be a string');
  return v;
}

function oneOf(body: Record<string, unknown>, field: string, allowed: readonly string[]): string | undefined {
  const v = optionalString(body, field);
  if (v !== undefined && !allowed.includes(v)) fail(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return v;
}

function text(body: Record<string, unknown>, field: string, required: boolean): string {
  const v = optionalString(body, field);
  if (v === undefined || v.trim() === '') {
    if (required) fail(field, 'is required');
    return v ?? '';
  }
  if (v.length > PROMPT_MAX) fail(field, `must be at most ${PROMPT_MAX} characters`);
  return v;
}

// URL or raw base64; Kling refuses the data-URI prefix.
function image(v: unknown, field: string): void {
  if (typeof v !== 'string' || v.trim() === '') fail(field, 'is required and must be a URL or base64 string');
  if (v.startsWith('data:')) fail(field, 'must be raw base64 without a "data:" prefix, or a URL');
}

function list(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): Record<string, unknown>[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (min > 0) fail(field, 'is required');
    return undefined;
  }
  if (!Array.isArray(v) || v.length < min || v.length > max) fail(field, `must be an array of ${min} to ${max} items`);
  return v.map((item, i) => {
    if (!isRecord(item)) fail(`${field}[${i}]`, 'must be an object');
    return item;
  });
}

function durationRange(kind: KlingKind, model: string): readonly string[] {
  if (kind === 'omni-video') return range(3, 10);
  // kling-v3 takes 3..15 s (providers.md §1.5.1 / §1.7); every other model 5 or 10.
  if (model === 'kling-v3' && (kind === 'text2video' || kind === 'image2video')) return range(3, 15);
  return ['5', '10'];
}

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

export function validateCreate(kind: KlingKind, body: Record<string, unknown>): Validation {
  try {
    return { ok: true, spec: check(kind, body) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, message: err.message };
    throw err;
  }
}

function check(kind: KlingKind, body: Record<string, unknown>): CreateSpec {
  const model = oneOf(body, 'model_name', MODELS_BY_KIND[kind]) ?? DEFAULT_MODEL[kind];
  const multiShot = body.multi_shot === true;
  const prompt = text(body, 'prompt', kind !== 'image2video' && !multiShot);
  text(body, 'negative_prompt', false);
  const mode = (oneOf(body, 'mode', ['std', 'pro']) ?? (kind === 'omni-video' ? 'pro' : 'std')) as 'std' | 'pro';

  if (kind === 'image2video') {
    if (body.aspect_ratio !== undefined)
      fail('aspect_ratio', 'is not accepted by image2video (output follows the image)');
  } else {
    oneOf(body, 'aspect_ratio', ASPECT_RATIOS);
  }

  const durationRaw = body.duration;
  if (durationRaw !== undefined && typeof durationRaw !== 'string') fail('duration', 'must be a string, e.g. "5"');
  const duration = oneOf(body, 'duration', durationRange(kind, model)) ?? '5';

  let videoInput = false;
  if (kind === 'image2video') {
    image(body.image, 'image');
    if (body.image_tail !== undefined && body.image_tail !== null) image(body.image_tail, 'image_tail');
  } else if (kind === 'multi-image2video') {
    list(body, 'image_list', 1, 4)?.forEach((item, i) => image(item.image, `image_list[${i}].image`));
  } else if (kind === 'omni-video') {
    list(body, 'image_list', 0, 7)?.forEach((item, i) => {
      image(item.image_url, `image_list[${i}].image_url`);
      oneOf(item, 'type', ['first_frame', 'end_frame']);
    });
    const videos = list(body, 'video_list', 0, 1);
    videos?.forEach((item, i) => {
      if (typeof item.video_url !== 'string' || item.video_url === '')
        fail(`video_list[${i}].video_url`, 'is required');
      oneOf(item, 'refer_type', ['feature', 'base']);
      oneOf(item, 'keep_original_sound', ['yes', 'no']);
    });
    videoInput = (videos?.length ?? 0) > 0;
    list(body, 'element_list', 0, 7);
  }

  const cfg = body.cfg_scale;
  if (cfg !== undefined && cfg !== null && (typeof cfg !== 'number' || !(cfg >= 0 && cfg <= 1))) {
    fail('cfg_scale', 'must be a number in [0, 1]');
  }
  const sound = oneOf(body, 'sound', ['on', 'off']) === 'on';
  const voices = Array.isArray(body.voice_list) && body.voice_list.length > 0;

  const callbackUrl = optionalString(body, 'callback_url') || null;
  if (callbackUrl !== null && !/^https?:\/\/[^/\s]+/i.test(callbackUrl)) fail('callback_url', 'must be an http(s) URL');
  const externalTaskId = optionalString(body, 'external_task_id') || null;

  const wm = body.watermark_info;
  if (wm !== undefined && wm !== null && (!isRecord(wm) || typeof wm.enabled !== 'boolean')) {
    fail('watermark_info', 'must be {"enabled": boolean}');
  }
  const watermark = isRecord(wm) && wm.enabled === true;

  return {
    model,
    mode,
    duration: Number(duration),
    prompt,
    externalTaskId,
    callbackUrl,
    watermark,
    sound,
    voices,
    videoInput,
  };
}

// Units one successful task costs, from the published price list (providers.md §1.10).
export function unitsFor(spec: CreateSpec): number {
  const { model, mode, duration } = spec;
  const pro = mode === 'pro';
  let perSecond: number | null = null;
  let per5s = 0;
  switch (model) {
    case 'kling-v3':
      perSecond = pro ? (spec.sound ? 1.2 : 0.8) : spec.sound ? 0.9 : 0.6;
      break;
    case 'kling-video-o1':
    case 'kling-v3-omni':
      perSecond = pro ? (spec.videoInput ? 1.2 : 0.8) : spec.videoInput ? 0.9 : 0.6;
      break;
    case 'kling-v1':
      per5s = pro ? 3.5 : 1;
      break;
    case 'kling-v2-master':
    case 'kling-v2-1-master':
      per5s = 10;
      break;
    case 'kling-v2-5-turbo':
      per5s = pro ? 2.5 : 1.5;
      break;
    case 'kling-v2-6':
      per5s = !pro ? 1.5 : !spec.sound ? 2.5 : spec.voices ? 6 : 5;
      break;
    default: // kling-v1-5, kling-v1-6 (incl. multi-image), kling-v2-1
      per5s = pro ? 3.5 : 2;
  }
  const units = perSecond !== null ? perSecond * duration : (per5s * duration) / 5;
  return Math.round(units * 1000) / 1000;
}
