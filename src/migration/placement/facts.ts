// What placement reads from each host beyond the inventory: the link speed, and each VM's move size as the
// host measures it (memory, disks with their parent chains, checkpoints).

import { list, number, optionalNumber, record, string } from '../../hyperv/decode';
import { defineScript } from '../../powershell/script';
import placementFactsText from '../scripts/placementFacts.ps1';
import measureMoveBytesText from '../scripts/shared/measureMoveBytes.ps1';

export interface MoveSize {
  /** Memory of a live VM (0 for an Off VM: it moves cold). */
  readonly memoryBytes: number;
  /** VHD files with their parent chains. */
  readonly diskBytes: number;
  readonly checkpointBytes: number;
  /** What the move carries: memory + disks + checkpoints. */
  readonly bytes: number;
  /** It has virtual disks to move, so it counts against MaximumStorageMigrations too. */
  readonly movesStorage: boolean;
}

export interface PlacementFacts {
  readonly linkSpeedBps: number | null;
  readonly vms: readonly {
    readonly id: string;
    readonly memoryBytes: number;
    readonly diskBytes: number;
    readonly checkpointBytes: number;
    readonly vhdCount: number;
  }[];
}

const placementAnswer: (data: unknown, path: string) => PlacementFacts = record({
  linkSpeedBps: optionalNumber,
  vms: list(record({ id: string, memoryBytes: number, diskBytes: number, checkpointBytes: number, vhdCount: number })),
});

const decodeFacts = (data: unknown): PlacementFacts => placementAnswer(data, 'placement');

export const placementFacts = defineScript<{ ComputerName: string; VmIds: readonly string[] }, PlacementFacts>(
  'placementFacts',
  placementFactsText,
  decodeFacts,
  [measureMoveBytesText],
);
