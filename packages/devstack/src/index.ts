export { startProcess, stopProcess, typeScriptEntry, type StartedProcess } from "./child-process";
export { startDevstack, type Devstack, type DevstackOptions } from "./devstack";
export { freePort } from "./free-port";
