export { withDevstack as default } from "../../vitest.shared";
