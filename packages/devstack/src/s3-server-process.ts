import { fileURLToPath } from "node:url";
import { startProcess, typeScriptEntry, type StartedProcess } from "./child-process";

export interface S3Server {
  endpoint: string;
  port: number;
  process: StartedProcess;
}

const ENTRY = fileURLToPath(new URL("./s3-server.ts", import.meta.url));

/** Starts the local S3-compatible server in its own Node process, with `bucket` created. */
export async function startS3Server(dataDir: string, bucket: string, port = 0): Promise<S3Server> {
  const started = await startProcess(
    process.execPath,
    typeScriptEntry(ENTRY, "--directory", dataDir, "--bucket", bucket, "--port", String(port)),
    { readyWhen: /^listening (\d+)$/ },
  );
  const actualPort = Number(started.ready[1]);
  return { endpoint: `http://127.0.0.1:${actualPort}`, port: actualPort, process: started };
}
