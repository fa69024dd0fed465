import type { ChannelType } from '../providers/channel-types';

// What each model can do and how its options map onto its provider's request: one table that the
// catalog, the quote, every surface's validation and the batch engine read (providers.md §1.7,
// §2.1, §5). A model is offered when it has a capability here and a price in the price table.

export type Resolution = '720p' | '1080p';
export type RequestKind = 'text2video' | 'image2video' | 'multi-image2video' | 'omni-video';

export interface SizeOption {
  aspectRatio: string; // 16:9, 9:16, 1:1
  resolution: Resolution;
}

export interface Capability {
  provider: ChannelType;
  family: string; // for humans: "Kling v1.6 (std)", "Sora 2 Pro"
  // The request kinds the model takes; `text2video` without a reference, `image2video` with one.
  kinds: RequestKind[];
  seconds: number[];
  // OpenAI-style WIDTHxHEIGHT sizes the model renders, with what they mean.
  sizes: Record<string, SizeOption>;
  defaultSeconds: number;
  defaultSize: string;
  // How long a video of this model usually takes, for progress estimates when the upstream gives none.
  typicalSeconds: number;
}

const sizes = (resolution: Resolution, ratios: string[]): Record<string, SizeOption> => {
  const dims: Record<Resolution, Record<string, string>> = {
    '720p': { '16:9': '1280x720', '9:16': '720x1280', '1:1': '720x720' },
    '1080p': { '16:9': '1920x1080', '9:16': '1080x1920', '1:1': '1080x1080' },
  };
  return Object.fromEntries(ratios.map((r) => [dims[resolution][r], { aspectRatio: r, resolution }]));
};

// Kling model_name → kinds and durations (official capability map, providers.md §1.7).
const KLING: Record<string, { kinds: RequestKind[]; seconds: number[]; tiers: Array<'std' | 'pro' | null> }> = {
  'kling-v1': { kinds: ['text2video', 'image2video'], seconds: [5, 10], tiers: ['std', 'pro'] },
  'kling-v1-5': { kinds: ['image2video'], seconds: [5, 10], tiers: ['std', 'pro'] },
  'kling-v1-6': { kinds: ['text2video', 'image2video', 'multi-image2video'], seconds: [5, 10], tiers: ['std', 'pro'] },
  'kling-v2-master': { kinds: ['text2video', 'image2video'], seconds: [5, 10], tiers: [null] },
  'kling-v2-1': { kinds: ['image2video'], seconds: [5, 10], tiers: ['std', 'pro'] },
  'kling-v2-1-master': { kinds: ['text2video', 'image2video'], seconds: [5, 10], tiers: [null] },
  'kling-v2-5-turbo': { kinds: ['text2video', 'image2video'], seconds: [5, 10], tiers: ['std', 'pro'] },
  'kling-v2-6': { kinds: ['text2video', 'image2video'], seconds: [5, 10], tiers: ['std', 'pro'] },
  'kling-v3': {
    kinds: ['text2video', 'image2video'],
    seconds: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    tiers: ['std', 'pro'],
  },
  'kling-video-o1': { kinds: ['omni-video'], seconds: [3, 4, 5, 6, 7, 8, 9, 10], tiers: ['std', 'pro'] },
};
export const KLING_ASPECT_RATIOS = ['16:9', '9:16', '1:1'];

function klingCapabilities(): Record<string, Capability> {
  const out: Record<string, Capability> = {};
  for (const [name, k] of Object.entries(KLING)) {
    for (const tier of k.tiers) {
      const resolution: Resolution = tier === 'std' ? '720p' : '1080p';
      const s = sizes(resolution, KLING_ASPECT_RATIOS);
      out[tier ? `${name}-${tier}` : name] = {
        provider: 'kling',
        family: `Kling ${name.slice('kling-'.length)}${tier ? ` (${tier})` : ''}`,
        kinds: k.kinds,
        seconds: k.seconds,
        sizes: s,
        defaultSeconds: 5,
        defaultSize: Object.keys(s)[0],
        typicalSeconds: tier === 'std' ? 120 : 240,
      };
    }
  }
  return out;
}

export const CAPABILITIES: ReadonlyMap<string, Capability> = new Map(
  Object.entries({
    ...klingCapabilities(),
    'sora-2': {
      provider: 'kie',
      family: 'Sora 2',
      kinds: ['text2video', 'image2video'],
      seconds: [10, 15],
      sizes: sizes('720p', ['16:9', '9:16']),
      defaultSeconds: 10,
      defaultSize: '1280x720',
      typicalSeconds: 180,
    },
    'sora-2-pro': {
      provider: 'kie',
      family: 'Sora 2 Pro',
      kinds: ['text2video', 'image2video'],
      seconds: [10, 15],
      sizes: { ...sizes('720p', ['16:9', '9:16']), ...sizes('1080p', ['16:9', '9:16']) },
      defaultSeconds: 10,
      defaultSize: '1280x720',
      typicalSeconds: 420,
    },
    veo3: {
      provider: 'viva',
      family: 'Veo 3',
      kinds: ['text2video', 'image2video'],
      seconds: [8],
      sizes: sizes('720p', ['16:9', '9:16']),
      defaultSeconds: 8,
      defaultSize: '1280x720',
      typicalSeconds: 120,
    },
  } satisfies Record<string, Capability>),
);

// The size a model renders for an aspect ratio and resolution, if any.
export function sizeFor(cap: Capability, aspectRatio: string, resolution?: string): string | null {
  const hit = Object.entries(cap.sizes).find(
    ([, s]) => s.aspectRatio === aspectRatio && (resolution === undefined || s.resolution === resolution),
  );
  return hit ? hit[0] : null;
}
