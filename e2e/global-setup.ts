import { startStack } from "./stack";

export default async function globalSetup(): Promise<void> {
  const { webUrl, apiUrl, env } = await startStack();
  // Test workers are started after this and inherit the environment.
  process.env.E2E_BASE_URL = webUrl;
  process.env.E2E_API_URL = apiUrl;
  process.env.E2E_STACK_ENV = JSON.stringify(env);
}
