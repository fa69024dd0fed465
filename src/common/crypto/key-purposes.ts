// The purposes under which secrets are stored encrypted (CryptoService.encrypt). Listed in one
// place because `npm run rotate-app-secret` must re-encrypt every one of them.
export const CHANNEL_KEY_PURPOSE = 'channel-keys'; // channels.key_encrypted and webhook_key_encrypted
export const QUOTA_KEY_PURPOSE = 'provider-quota-keys'; // provider_quotas.api_key_encrypted
