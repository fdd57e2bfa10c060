// A host rated as a destination for one VM, as placement answers it and the fleet panel shows it: the one
// definition both share (placement's Candidate adds its findings and plan, the panel's CandidateView the
// estimate in words). Imports nothing, so the fleet webview's type check can see it.

/** One line of a host rating: what was found, and what it added to the score. */
export interface RatingLine {
  readonly text: string;
  readonly points: number;
}

export interface HostRating {
  readonly host: string;
  /** No blocker once the plan's choices are made, and room left after the moves planned before it. */
  readonly ready: boolean;
  /** Out of 100 (0 when not ready): the sum of the lines' points. */
  readonly score: number;
  readonly lines: readonly RatingLine[];
  /** Why the host cannot take the VM, one sentence each (with the fix, where a check offers one). */
  readonly blockers: readonly string[];
  /** Placement's choices, in sentences, e.g. "Adapter 'Storage NIC' ('Storage') → 'Backup'" (adapter mapped, ISO ejected on the moved VM). */
  readonly choices: readonly string[];
}
