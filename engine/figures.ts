// A named figure a run reports into result.json, with its projection to the real size.
/** A figure a scenario reports: measured at this scale, and projected to the incident's real size. */
export interface Figure {
  value: number;
  unit?: string;
  /** the same figure projected to the real size, when the run was scaled down */
  projected?: number;
  /** how the projection was made (scale factors) */
  note?: string;
  /** the value in words when it is a code ("rolled back" for 2), so no report shows a bare number */
  text?: string;
}
