// The upstreams Reelay speaks to, one client each. A channel (channels/) is an account on one of them;
// the type lives here so the clients need nothing from the channels module that uses them.
export const CHANNEL_TYPES = ['kling', 'kie', 'viva'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
