import { createServer } from "node:http";
import { createPhotoQueue, createPhotoQueueEvents } from "@darkroom/queue";
import { createLogger, exitOnSignals } from "@darkroom/runtime";
import { createS3Storage } from "@darkroom/storage";
import { Server } from "socket.io";
import { createApp } from "./app";
import { loadConfig } from "./env";
import { attachRealtime, type RealtimeServer } from "./realtime/realtime";
import { createSnapshotReader } from "./uploads/upload-snapshot";

const config = loadConfig();
const logger = createLogger("api", config.logLevel);
const storage = createS3Storage(config.s3);
const queue = createPhotoQueue(config.queue);
const queueEvents = createPhotoQueueEvents(config.queue);
queue.on("error", (error) => logger.error({ err: error }, "queue connection error"));
queueEvents.on("error", (error) => logger.error({ err: error }, "queue events connection error"));
const readSnapshot = createSnapshotReader({ queue, storage });

const app = createApp({ storage, queue, readSnapshot, limits: config.uploads, logger });
const server = createServer(app);
const io: RealtimeServer = new Server(server, { serveClient: false });
attachRealtime(io, queueEvents, readSnapshot, logger);

server.listen(config.port, config.host, () => {
  logger.info({ url: `http://${config.host}:${config.port}` }, "API listening");
});

exitOnSignals(logger, async () => {
  // io.close() also closes the HTTP server: new connections stop, and the
  // requests in flight finish before it resolves.
  await new Promise<void>((resolve) => void io.close(() => resolve()));
  await Promise.all([queueEvents.close(), queue.close()]);
});
