import type { Variant, VariantName } from "@darkroom/contracts";
import { describe, expect, it } from "vitest";
import { pictureSources } from "../../src/images/picture-sources";

const variant = (name: VariantName, format: Variant["format"], width: number, url = `${name}.${format}`) => ({
  name,
  format,
  width,
  height: (width * 2) / 3,
  bytes: width * 10,
  url: `https://storage.example/${url}`,
});

const SIX = [
  variant("large", "jpeg", 2048),
  variant("large", "webp", 2048),
  variant("medium", "jpeg", 1280),
  variant("medium", "webp", 1280),
  variant("thumb", "jpeg", 320),
  variant("thumb", "webp", 320),
];

describe("a picture of an upload's variants", () => {
  it("offers WebP as a source and JPEG as the image, each size by its width, the image sized as the largest", () => {
    expect(pictureSources(SIX, ["thumb", "medium"])).toEqual({
      sources: [
        {
          type: "image/webp",
          srcSet: "https://storage.example/thumb.webp 320w, https://storage.example/medium.webp 1280w",
        },
      ],
      img: {
        src: "https://storage.example/thumb.jpeg",
        srcSet: "https://storage.example/thumb.jpeg 320w, https://storage.example/medium.jpeg 1280w",
        width: 1280,
        height: 853.3333333333334,
      },
    });
  });

  it("offers AVIF before WebP when the upload has it: a browser takes the first source it decodes", () => {
    const withAvif = [...SIX, variant("thumb", "avif", 320), variant("medium", "avif", 1280)];
    expect(pictureSources(withAvif, ["thumb"])?.sources).toEqual([
      { type: "image/avif", srcSet: "https://storage.example/thumb.avif 320w" },
      { type: "image/webp", srcSet: "https://storage.example/thumb.webp 320w" },
    ]);
  });

  it("offers a size that is the same image as a larger one once", () => {
    // A 1000 px photo: medium is large's object, at large's width.
    const small = [variant("large", "webp", 1000), variant("medium", "webp", 1000, "large.webp")];
    expect(pictureSources(small, ["medium", "large"])?.img.srcSet).toBe(
      "https://storage.example/large.webp 1000w",
    );
  });

  it("has nothing to show for an upload without those sizes", () => {
    expect(pictureSources([], ["thumb"])).toBeUndefined();
    expect(pictureSources(SIX, [])).toBeUndefined();
  });
});
