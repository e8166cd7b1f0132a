import { solidImage } from "./fixtures";

/** What tests set as the render pool's `crashMarker` (`IMAGING_TEST_CRASH_MARKER`). */
export const TEST_CRASH_MARKER = "darkroom:crash-this-decode";

/**
 * A valid JPEG that crashes the render thread it reaches, in a pool given
 * {@link TEST_CRASH_MARKER}: the marker follows the JPEG's end, where
 * decoders and sniffers read nothing.
 */
export async function crashingPhoto(): Promise<Buffer> {
  return Buffer.concat([await solidImage(640, 480), Buffer.from(TEST_CRASH_MARKER)]);
}
