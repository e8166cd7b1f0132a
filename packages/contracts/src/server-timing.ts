/**
 * The stages the API times in an answer's `Server-Timing` header, by name, in
 * milliseconds: `total` on every answer; on uploads, the steps the mode takes
 * (`room`, `sign`, `receive`, `process`, `reservation`, `check`, `enqueue`).
 */
export function serverTimingDurations(
  header: string | readonly string[] | null | undefined,
): Record<string, number> {
  const durations: Record<string, number> = {};
  // A header sent more than once is one list (RFC 9110), as fetch joins it.
  for (const metric of [header ?? []].flat().join(",").split(",")) {
    const [name, ...params] = metric.split(";").map((part) => part.trim());
    const duration = params.find((param) => param.startsWith("dur="));
    if (name && duration) durations[name] = Number(duration.slice("dur=".length));
  }
  return durations;
}
