import type { UploadSnapshot } from "@darkroom/contracts";
import { useEffect, useState } from "react";
import { api, errorDetailOf, type ApiErrorDetail } from "../api/client";
import { followUploads } from "../api/socket";
import { isUnfinished, newestSnapshot } from "../uploads/newest-snapshot";

export type UploadState =
  | { state: "loading" }
  | { state: "loaded"; snapshot: UploadSnapshot }
  | { state: "error"; error: ApiErrorDetail };

/** One upload, read from the API and followed live until it ends. */
export function useUpload(id: string): UploadState {
  const [upload, setUpload] = useState<UploadState>({ state: "loading" });

  useEffect(() => {
    let open = true;
    const receive = (snapshot: UploadSnapshot) =>
      setUpload((current) => ({
        state: "loaded",
        snapshot: current.state === "loaded" ? newestSnapshot(current.snapshot, snapshot) : snapshot,
      }));
    const following = followUploads({
      onSnapshot: receive,
      onError: (_id, error) => setUpload({ state: "error", error }),
    });
    api.upload(id).then(
      (snapshot) => {
        if (!open) return;
        receive(snapshot);
        if (isUnfinished(snapshot)) following.follow(id);
      },
      (error: unknown) => open && setUpload({ state: "error", error: errorDetailOf(error) }),
    );
    return () => {
      open = false;
      following.close();
    };
  }, [id]);

  return upload;
}
