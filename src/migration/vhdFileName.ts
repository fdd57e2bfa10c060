// Hyper-V moves a virtual disk only to a file of the same name: Move-VM and Compare-VM refuse a -Vhds entry
// whose DestinationFilePath names another file ("The source and destination file names in the Vhds
// parameter must match."; decompiled ParameterValidator.ValidateVhdMigrationMappings compares
// Path.GetFileName of both, ignoring case). The checks and the plan file share this one rule.

/** The file name of a Windows path, as .NET's Path.GetFileName takes it: what follows the last `\`, `/` or `:`. */
export function vhdFileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'), path.lastIndexOf(':')) + 1);
}

/** Whether a disk's destination keeps the source's file name (compared without regard to case). */
export function keepsVhdFileName(source: string, destination: string): boolean {
  return vhdFileName(source).toUpperCase() === vhdFileName(destination).toUpperCase();
}

/** The destination's folder with the source's file name: what to write instead of a renamed destination. */
export function withSourceFileName(source: string, destination: string): string {
  return `${destination.slice(0, destination.length - vhdFileName(destination).length)}${vhdFileName(source)}`;
}
