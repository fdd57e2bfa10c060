// How sizes, durations, vendors and lists read everywhere (tree, checks, panels, plans): short, in the units admins use,
// in the display language.

import * as l10n from '@vscode/l10n';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in binary units: `512 B`, `1.5 GB`, `2 GB` (no `.0`), `120 GB` (no decimals from 100 on). */
export function bytes(value: number): string {
  let v = Math.abs(value);
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const rounded = v >= 100 || Number.isInteger(v) ? Math.round(v).toString() : v.toFixed(1).replace(/\.0$/, '');
  return `${value < 0 ? '-' : ''}${rounded} ${UNITS[i]}`;
}

/** A duration: `4.2 s`, `42 s`, `3 min 5 s`, `1 h 20 min`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return l10n.t('{0} s', seconds < 10 ? seconds.toFixed(1) : Math.round(seconds));
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? l10n.t('{0} h {1} min', h, m) : l10n.t('{0} min {1} s', m, s);
}

/** WMI names the vendor by its CPUID string; admins say Intel and AMD. */
export function vendorName(manufacturer: string): string {
  if (/intel/i.test(manufacturer)) return 'Intel';
  if (/amd/i.test(manufacturer)) return 'AMD';
  return manufacturer;
}

/** A running clock: `0:07`, `1:21`, `1:02:03`. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number): string => n.toString().padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** A moment to the minute, in UTC (`2026-12-05 15:14 UTC`): the same for every admin who reads it, wherever they are. */
export function utcMinute(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * How lists read in a language: Intl's conjunction list, except that English is written as this extension's
 * English texts write it, without a serial comma ("HV01, HV02 and HV03", as en-GB does; Intl's `en` writes
 * "HV01, HV02, and HV03"). A tag Intl cannot read reads as English.
 */
function listFormat(locale: string): Intl.ListFormat {
  try {
    return new Intl.ListFormat(/^en\b/i.test(locale) ? 'en-GB' : locale, { type: 'conjunction' });
  } catch {
    return listFormat('en');
  }
}

let displayLists = listFormat('en');

/**
 * Sets the language every text of the core follows: its l10n bundle (none in English) for `l10n.t`, and its
 * locale (VS Code's display language) for lists. The extension calls it at activation, each webview as it loads.
 */
export function setDisplayLanguage(locale: string, bundle?: string | l10n.l10nJsonFormat): void {
  if (bundle) l10n.config({ contents: bundle });
  displayLists = listFormat(locale);
}

/** Names as one list in the display language (or `locale`): `HV01`, `HV01 and HV02`, `HV01, HV02 and HV03`; German `… und …`. */
export function formatList(items: readonly string[], locale?: string): string {
  return (locale === undefined ? displayLists : listFormat(locale)).format(items);
}
