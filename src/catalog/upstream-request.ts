import type { VideoShape } from './catalog.service';

export interface VideoInput {
  prompt: string;
  imageUrl?: string | null; // a URL the provider can fetch (or raw base64 where it takes it)
}

// A resolved request in its provider's words; the provider client adds the model name, our id
// and our callback URL. Kling: duration (string) + aspect ratio, the mode is in the model name;
// KIE: the Sora fields its client maps to n_frames / aspect_ratio / size; VivaAPI: its fields.
export function upstreamRequest(v: VideoShape, input: VideoInput): { kind: string; body: Record<string, unknown> } {
  const image = input.imageUrl ?? null;
  switch (v.capability.provider) {
    case 'kling': {
      const body: Record<string, unknown> = { prompt: input.prompt, duration: String(v.seconds) };
      if (v.kind === 'image2video') body.image = image;
      else body.aspect_ratio = v.aspectRatio;
      if (v.kind === 'omni-video' && image) body.image_list = [{ image_url: image, type: 'first_frame' }];
      return { kind: v.kind, body };
    }
    case 'kie':
      return {
        kind: 'sora',
        body: {
          prompt: input.prompt,
          resolution: v.resolution,
          duration: v.seconds,
          aspect_ratio: v.aspectRatio,
          image_url: image,
        },
      };
    case 'viva':
      return {
        kind: 'video',
        body: { prompt: input.prompt, aspect_ratio: v.aspectRatio, ...(image ? { images: [image] } : {}) },
      };
  }
}
