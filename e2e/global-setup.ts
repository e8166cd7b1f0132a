import { startStack } from "./stack";

export default async function globalSetup(): Promise<void> {
  // Test workers are started after this and inherit the environment.
  process.env.E2E_BASE_URL = await startStack();
}
