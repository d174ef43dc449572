export { DEFAULT_FAULTS } from "./faults.js";
export type { SimServer } from "./server.js";
export {
  IDENTITY_STORE_TARGET,
  IdentityCenterSimulator,
  type SimReply,
  SSO_ADMIN_TARGET,
} from "./simulator.js";
export { DEFAULT_INSTANCE } from "./state.js";
export type * from "./types.js";
