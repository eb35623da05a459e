import type { Lang, Translate } from './i18n';

const UNITS = ['unit.B', 'unit.KiB', 'unit.MiB', 'unit.GiB', 'unit.TiB'] as const;

/** A byte count for people: 1,5 MiB, 312 KiB, 17 B — in the reader's language. */
export function formatBytes(bytes: number, lang: Lang, t: Translate): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = new Intl.NumberFormat(numberLocale(lang), { maximumFractionDigits: digits }).format(value);
  return `${number} ${t(UNITS[unit])}`;
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(numberLocale(lang)).format(n);
}

// Some browsers (Chromium among them) ship no Belarusian locale data and would fall back to
// English month names and separators; Belarusian conventions for numbers and numeric dates
// (1 234,5; 22.11.2026, 10:00:00) are those of Russian, so those are borrowed, without words.
const hasBelarusian = (() => {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(['be']).length > 0;
  } catch {
    return false;
  }
})();

function numberLocale(lang: Lang): string {
  if (lang === 'en') return 'en-GB';
  return lang === 'be' && !hasBelarusian ? 'ru' : lang;
}

/** A time stamp (RFC 3339) in the reader's language; the raw text if it cannot be read. */
export function formatTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return iso;
  if (lang === 'be' && !hasBelarusian) {
    return new Intl.DateTimeFormat('ru', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).format(d);
  }
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}

/** The first characters of a long hex id or hash, for tables (the full value goes in a title). */
export function abbreviate(hex: string, keep = 12): string {
  return hex.length > keep ? `${hex.slice(0, keep)}…` : hex;
}
