import { access, constants } from "node:fs/promises";
import { createServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import type { AddressInfo } from "node:net";
import {
  createNotifyQueue,
  createPhotoQueue,
  createProducerConnection,
  listenToPhotoEvents,
} from "@darkroom/queue";
import { createRenderPool } from "@darkroom/imaging";
import { webhookSecrets } from "@darkroom/webhooks";
import { Redis } from "ioredis";
import { createMetricsRegistry, type Logger } from "@darkroom/runtime";
import { createS3Storage } from "@darkroom/storage";
import { Server } from "socket.io";
import { createApp } from "./app";
import type { Lifecycle } from "./http/lifecycle";
import type { ApiConfig } from "./env";
import { attachRealtime, fromOwnOrigin, type RealtimeServer } from "./realtime/realtime";
import { registerQueueMetrics } from "./metrics/queue-metrics";
import { recentUploads } from "./uploads/recent-uploads";
import { createUploadReader } from "./uploads/upload-snapshot";
import { variantUrls } from "./uploads/variant-urls";
import { apiTokens } from "./identity/api-tokens";
import { browserSessions } from "./identity/browser-sessions";
import { identifySocket, type Identities } from "./identity/identify";
import { notifications } from "./notifications/notifications";

export interface RunningApi {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  /** Stops taking connections, lets requests in flight finish, then closes Redis connections. */
  close(): Promise<void>;
}

/** Builds the API with its Redis and S3 clients and socket.io, and listens. */
export async function startApiServer(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  // Fail at start-up, not on every upload, when the spool dir is unusable.
  await access(config.uploads.spoolDir, constants.W_OK);
  const storage = createS3Storage(config.s3);
  const redis = createProducerConnection(config.queue.redisUrl);
  const queue = createPhotoQueue(config.queue, { connection: redis });
  // ioredis reconnects by itself; these only say that Redis is away.
  redis.on("error", (error: Error) => logger.warn({ err: error }, "Redis connection error"));
  const queueEvents = listenToPhotoEvents(config.queue, (error) =>
    logger.warn({ err: error }, "queue events connection error"),
  );
  const variantUrl = variantUrls(storage, config.uploads.variantUrlExpiryS);
  const readUpload = createUploadReader({ queue, storage, variantUrl });
  const redisKeyPrefix = `${config.queue.prefix}:${config.queue.name}`;
  // socket.io's broadcasts reach the clients of every API instance through Redis pub/sub.
  const adapterPub = new Redis(config.queue.redisUrl);
  const adapterSub = adapterPub.duplicate();
  for (const connection of [adapterPub, adapterSub]) {
    connection.on("error", (error: Error) =>
      logger.warn({ err: error }, "socket.io adapter connection error"),
    );
  }

  const lockSubscriber = redis.duplicate({ enableOfflineQueue: true });
  lockSubscriber.on("error", (error: Error) => logger.warn({ err: error }, "upload lock connection error"));

  const identities: Identities = {
    sessions: browserSessions(config.identity.sessionSecret),
    tokens: apiTokens(redis, redisKeyPrefix, config.identity.apiTokenTtlS),
  };
  // The API adds only sync uploads' webhooks; the worker adds the rest, and delivers them all.
  const notifyQueue = createNotifyQueue(config.queue, { connection: redis });
  const lifecycle: Lifecycle = { draining: false };
  // Sync uploads render here: off the event loop, and a file that crashes its decoder costs only its own request.
  const renderPool = createRenderPool({
    ...config.renderPool,
    onError: (error) => logger.error({ err: error }, "render pool error"),
  });
  const metrics = createMetricsRegistry();
  registerQueueMetrics(queue, metrics);
  const app = createApp({
    s3: config.s3,
    storage,
    lockSubscriber,
    queue,
    queueConfig: config.queue,
    redis,
    readUpload,
    uploads: config.uploads,
    imaging: config.imaging,
    render: renderPool.render,
    metrics,
    admin: config.admin,
    identities,
    identity: config.identity,
    trustProxy: config.trustProxy,
    logger,
    redisKeyPrefix,
    lifecycle,
    recent: recentUploads(redis, redisKeyPrefix),
    notifications: notifications({
      redis,
      secrets: webhookSecrets(redis, redisKeyPrefix),
      queue: notifyQueue,
      policy: config.notify.policy,
    }),
  });
  // A client gets 10 s to send its headers, not Node's 60: headers trickled in hold a connection.
  const server = createServer({ headersTimeout: 10_000 }, app);
  const io: RealtimeServer = new Server(server, {
    serveClient: false,
    // Clients send upload ids, nothing larger: not socket.io's 1 MB.
    maxHttpBufferSize: 16 * 1024,
    allowRequest: (req, allow) => allow(null, fromOwnOrigin(req)),
    adapter: createAdapter(adapterPub, adapterSub, { key: `${redisKeyPrefix}:socket.io` }),
  });
  io.use(identifySocket(identities));
  attachRealtime(io, queueEvents, readUpload, logger);

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}`;
  logger.info({ url }, "API listening");

  return {
    url,
    async close() {
      // Uploads sent on connections still open get 503 SHUTTING_DOWN; those in flight finish.
      lifecycle.draining = true;
      // Closes the HTTP server too: it takes no new connection, and waits for the requests in flight.
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      // After a Redis outage this can wait forever (ioredis cannot end a
      // connection stranded while reconnecting): `exitOnSignals` bounds it.
      await Promise.all([queueEvents.close(), queue.close(), notifyQueue.close(), renderPool.close()]);
      // The queue leaves the connection it was given open.
      await Promise.all(
        [redis, lockSubscriber, adapterPub, adapterSub].map((connection) => connection.quit()),
      );
    },
  };
}
