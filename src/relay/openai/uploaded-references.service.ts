import { Injectable } from '@nestjs/common';
import type { ChannelType } from '../../providers/channel-types';
import { AuthUser } from '../../common/auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { ReferenceImages } from '../../media/reference-images.service';

export interface UploadedImage {
  data: Buffer;
}

const MAX_BYTES = 10 * 1024 * 1024; // Kling's and KIE's limit on a reference image

// An uploaded first-frame image, in the form its provider takes: Kling raw base64, VivaAPI a data
// URL; KIE only fetches URLs, so it gets a signed link to the image kept in media storage.
@Injectable()
export class UploadedReferences {
  constructor(private readonly references: ReferenceImages) {}

  async forProvider(user: AuthUser, provider: ChannelType, upload: UploadedImage): Promise<string> {
    const mime = imageType(upload.data);
    if (!mime) throw DomainError.validation('input_reference', 'must be a JPEG, PNG or WebP image');
    if (upload.data.length > MAX_BYTES) throw DomainError.validation('input_reference', 'must be at most 10 MB');
    if (provider === 'kling') return upload.data.toString('base64');
    if (provider === 'viva') return `data:${mime};base64,${upload.data.toString('base64')}`;
    return this.references.publish(user.id, upload.data, mime);
  }
}

export function imageType(b: Buffer): string | null {
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  return null;
}
