import type { PageMode } from "../api/upload-file";

/** Each way of sending a photo, in the order the switch offers them, with what it means in a line. */
export const MODES: readonly { mode: PageMode; name: string; hint: string }[] = [
  { mode: "queued", name: "Queued", hint: "Answers at once, resizes in the background" },
  { mode: "sync", name: "Sync", hint: "Resizes before the server answers" },
  { mode: "direct", name: "Direct", hint: "Straight to storage, not through the server" },
  { mode: "resumable", name: "Resumable", hint: "Continues after a cut or a reload" },
];

export const MODE_NAMES = Object.fromEntries(MODES.map(({ mode, name }) => [mode, name])) as Record<
  PageMode,
  string
>;
