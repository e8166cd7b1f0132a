import { ERROR_CATALOGUE } from "@darkroom/contracts";
import { describe, expect, it } from "vitest";
import { formatFailureReason, parseFailureReason } from "../../src/failure-reason";

describe("failure reasons of failed jobs", () => {
  it("read back the code and message Darkroom wrote, across lines", () => {
    const detail = { code: "IMAGE_CORRUPT", message: "VipsJpeg: Premature end\nof input file" } as const;
    expect(parseFailureReason(formatFailureReason(detail))).toEqual(detail);
  });

  it("name a job whose workers died too often JOB_STALLED", () => {
    expect(parseFailureReason("job stalled more than allowable limit")).toEqual({
      code: "JOB_STALLED",
      message: ERROR_CATALOGUE.JOB_STALLED.message,
    });
  });

  it("hide any other reason behind PROCESSING_FAILED: it can name internal hosts", () => {
    for (const reason of ["connect ECONNREFUSED 10.0.0.7:9000", "NOT_A_CODE: hello", undefined]) {
      expect(parseFailureReason(reason)).toEqual({
        code: "PROCESSING_FAILED",
        message: ERROR_CATALOGUE.PROCESSING_FAILED.message,
      });
    }
  });
});
