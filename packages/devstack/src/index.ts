export { untilApiReady } from "./api-ready";
export { startAppStack, type AppStack } from "./app-stack";
export { startApiProcess, startWorkerProcess, type AppBuild } from "./app-processes";
export {
  startProcess,
  stopProcess,
  typeScriptEntry,
  type StartedProcess,
  type StartOptions,
} from "./child-process";
export { devstackEnv, startDevstack, type Devstack, type DevstackOptions } from "./devstack";
export { freePort } from "./free-port";
export { startLocalSignIn, type LocalSignIn } from "./oidc-provider";
export { startRedisServer, type RedisServer, type RedisServerOptions } from "./redis-server";
export { startS3Server, type S3Server } from "./s3-server-process";
