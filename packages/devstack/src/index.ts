export { startAppStack, type AppStack } from "./app-stack";
export { startApiProcess, startWorkerProcess } from "./app-processes";
export {
  startProcess,
  stopProcess,
  typeScriptEntry,
  type StartedProcess,
  type StartOptions,
} from "./child-process";
export { startDevstack, type Devstack, type DevstackOptions } from "./devstack";
export { freePort } from "./free-port";
export { startRedisServer, type RedisServer } from "./redis-server";
