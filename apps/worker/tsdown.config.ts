export { default } from "../../tsdown.apps";
