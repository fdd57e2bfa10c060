// How sizes and states read in the tree: short, in the units admins use.

export function bytes(value: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = value;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const rounded = v >= 100 || Number.isInteger(v) ? Math.round(v).toString() : v.toFixed(1).replace(/\.0$/, '');
  return `${rounded} ${units[i]}`;
}

/** WMI names the vendor by its CPUID string; admins say Intel and AMD. */
export function vendorName(manufacturer: string): string {
  if (/intel/i.test(manufacturer)) return 'Intel';
  if (/amd/i.test(manufacturer)) return 'AMD';
  return manufacturer;
}
