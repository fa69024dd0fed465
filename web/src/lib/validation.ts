// Form rules the console checks before a request is sent; the server checks them again and
// names the field when it disagrees.
import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export function emailRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('validation.required') },
    { type: 'email', message: t('validation.email') },
    { max: 254, message: t('validation.tooLong', { max: 254 }) },
  ];
}

export function newPasswordRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('validation.required') },
    { min: PASSWORD_MIN, message: t('validation.passwordMin', { min: PASSWORD_MIN }) },
    { max: PASSWORD_MAX, message: t('validation.tooLong', { max: PASSWORD_MAX }) },
  ];
}

// "Repeat the password" must equal the field `other`.
export function sameAsRule(t: TFunction, other: string): Rule {
  return ({ getFieldValue }) => ({
    validator: (_r, value) =>
      !value || getFieldValue(other) === value
        ? Promise.resolve()
        : Promise.reject(new Error(t('validation.mismatch'))),
  });
}

// A Kling key is two parts, the access key and the secret key, stored as "AK|SK".
const KLING_PART = /^[^|\s]{4,250}$/;

export function klingPartRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('validation.required') },
    // Pasted keys often carry spaces around them; those are trimmed when the key is sent.
    { pattern: KLING_PART, transform: (v: string | undefined) => v?.trim(), message: t('validation.klingPart') },
  ];
}

export function joinKlingKey(ak: string, sk: string): string {
  return `${ak.trim()}|${sk.trim()}`;
}

export function httpUrlRule(t: TFunction): Rule {
  return {
    validator: (_r, value: string | undefined) => {
      if (!value) return Promise.resolve();
      try {
        const u = new URL(value);
        if (u.protocol === 'http:' || u.protocol === 'https:') return Promise.resolve();
      } catch {
        /* fall through */
      }
      return Promise.reject(new Error(t('validation.url')));
    },
  };
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function modelListRule(t: TFunction): Rule {
  return {
    validator: (_r, value: string[] | undefined) => {
      if (!value || value.length === 0) return Promise.reject(new Error(t('validation.required')));
      const bad = value.find((m) => !MODEL_ID.test(m));
      return bad ? Promise.reject(new Error(t('validation.modelId', { model: bad }))) : Promise.resolve();
    },
  };
}

// A credits adjustment: a non-zero number with at most 3 decimals (1 credit = 1000 quota units
// by default; the server refuses what it cannot represent).
export function creditsAmountRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('validation.required') },
    {
      validator: (_r, value: number | null | undefined) => {
        if (value === null || value === undefined) return Promise.resolve();
        if (value === 0) return Promise.reject(new Error(t('validation.nonZero')));
        if (!/^-?\d+(\.\d{1,3})?$/.test(String(value))) return Promise.reject(new Error(t('validation.decimals3')));
        return Promise.resolve();
      },
    },
  ];
}

// A spend cap in credits: empty (no cap), or more than 0 and at most 1,000,000,000, with at most
// 3 decimals (what the API accepts).
export const CAP_MAX = 1_000_000_000;

export function spendCapRules(t: TFunction): Rule[] {
  return [
    {
      validator: (_r, value: number | null | undefined) => {
        if (value === null || value === undefined) return Promise.resolve();
        if (!(value > 0)) return Promise.reject(new Error(t('validation.positive')));
        if (value > CAP_MAX) return Promise.reject(new Error(t('validation.atMost', { max: '1,000,000,000' })));
        if (!/^\d+(\.\d{1,3})?$/.test(String(value))) return Promise.reject(new Error(t('validation.decimals3')));
        return Promise.resolve();
      },
    },
  ];
}

// The daily cap cannot exceed the monthly one (it would never apply).
export function dailyWithinMonthlyRule(t: TFunction, monthlyField: string): Rule {
  return ({ getFieldValue }) => ({
    validator: (_r, day: number | null | undefined) => {
      const month = getFieldValue(monthlyField) as number | null | undefined;
      if (day === null || day === undefined || month === null || month === undefined || day <= month)
        return Promise.resolve();
      return Promise.reject(new Error(t('validation.dayOverMonth')));
    },
  });
}

// A webhook endpoint: an http(s) URL of at most 2048 characters, without a user name or password
// (Reelay refuses those, and private addresses, when it saves the endpoint).
export function webhookUrlRules(t: TFunction): Rule[] {
  return [
    { required: true, whitespace: true, message: t('validation.required') },
    { max: 2048, message: t('validation.tooLong', { max: 2048 }) },
    {
      validator: (_r, value: string | undefined) => {
        if (!value?.trim()) return Promise.resolve();
        let u: URL;
        try {
          u = new URL(value.trim());
        } catch {
          return Promise.reject(new Error(t('validation.url')));
        }
        if (u.protocol !== 'http:' && u.protocol !== 'https:') return Promise.reject(new Error(t('validation.url')));
        if (u.username || u.password) return Promise.reject(new Error(t('validation.urlCredentials')));
        return Promise.resolve();
      },
    },
  ];
}
