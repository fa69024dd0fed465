import { DatePicker, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';

// The controls of the list pages' filter bars. Each is labelled for screen readers by its
// placeholder text and reports "no filter" as undefined.

export function IdFilter(p: { label: string; value?: number; onChange: (v: number | undefined) => void }) {
  return (
    <InputNumber
      min={1}
      placeholder={p.label}
      aria-label={p.label}
      value={p.value ?? null}
      onChange={(v) => p.onChange(v ?? undefined)}
    />
  );
}

// Reports the trimmed text but shows what is typed (a trailing space is kept while typing); a
// change from outside (the filters cleared, a link followed) replaces the text.
export function TextFilter(p: {
  label: string;
  value?: string;
  width?: number;
  onChange: (v: string | undefined) => void;
}) {
  const [raw, setRaw] = useState(p.value ?? '');
  const [shown, setShown] = useState(p.value);
  if (shown !== p.value) {
    setShown(p.value);
    if ((raw.trim() || undefined) !== p.value) setRaw(p.value ?? '');
  }
  return (
    <Input
      allowClear
      style={{ width: p.width ?? 180 }}
      placeholder={p.label}
      aria-label={p.label}
      value={raw}
      onChange={(e) => {
        setRaw(e.target.value);
        p.onChange(e.target.value.trim() || undefined);
      }}
    />
  );
}

export function ChoiceFilter<T extends string>(p: {
  label: string;
  value?: T;
  choices: readonly T[];
  choiceLabel: (v: T) => string;
  width?: number;
  onChange: (v: T | undefined) => void;
}) {
  return (
    <Select
      allowClear
      style={{ width: p.width ?? 150 }}
      placeholder={p.label}
      aria-label={p.label}
      value={p.value}
      onChange={(v: T | undefined) => p.onChange(v)}
      options={p.choices.map((v) => ({ value: v, label: p.choiceLabel(v) }))}
    />
  );
}

// Whole days in the browser's time zone, as [from, to) in unix seconds (what the list APIs take).
export function DayRangeFilter(p: {
  label: string;
  from?: number;
  to?: number;
  onChange: (from: number | undefined, to: number | undefined) => void;
}) {
  const value =
    p.from || p.to ? ([p.from ? dayjs.unix(p.from) : null, p.to ? dayjs.unix(p.to - 1) : null] as const) : null;
  return (
    <DatePicker.RangePicker
      aria-label={p.label}
      value={value as Parameters<typeof DatePicker.RangePicker>[0]['value']}
      onChange={(r) => p.onChange(r?.[0]?.startOf('day').unix(), r?.[1] ? r[1].endOf('day').unix() + 1 : undefined)}
    />
  );
}
