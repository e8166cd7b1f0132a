// Vitest globalSetup: one devstack for a whole test run. Test files read its
// addresses with `inject("devstack")` and isolate themselves by queue name and
// key prefix.
import type { TestProject } from "vitest/node";
import { startDevstack } from "./devstack";

declare module "vitest" {
  export interface ProvidedContext {
    devstack: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startDevstack();
  project.provide("devstack", stack.env);
  return () => stack.stop();
}
