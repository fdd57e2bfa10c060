// Which of a host's volumes a path lives on. Hosts name their volumes as Win32_Volume does: by mount path,
// a drive letter ('C:\') or a folder ('C:\ClusterStorage\Volume1\' for a cluster shared volume), so one
// volume's name can begin another's; the path belongs to the deepest mount point that holds it.

/** A volume name or path, compared as Windows does: case-insensitive, either slash, no trailing one. */
function normalize(path: string): string {
  return path.replace(/\//g, '\\').replace(/\\+$/, '').toUpperCase();
}

/** The volume a path lives on: the longest volume name it is, or starts with as a folder; undefined when none. */
export function volumeOf<V extends { readonly name: string }>(path: string, volumes: readonly V[]): V | undefined {
  const target = normalize(path);
  let best: V | undefined;
  let bestLength = -1;
  for (const volume of volumes) {
    const name = normalize(volume.name);
    if ((target === name || target.startsWith(`${name}\\`)) && name.length > bestLength) {
      best = volume;
      bestLength = name.length;
    }
  }
  return best;
}
