/** Who may request, approve, revoke and extend what: pure decisions over the access config. */
export {
  checkExtension,
  type ExtensionPlan,
  mayApprove,
  mayDecideExtension,
  mayRevoke,
  planExtension,
} from "./policy/authority.js";
export { EXTEND_STEP_SECONDS, extendStepSeconds } from "./policy/extension.js";
export {
  checkRequestForm,
  type FormAsk,
  type FormCheck,
  type FormField,
  type FormInput,
} from "./policy/form.js";
export {
  channelFor,
  describePrincipals,
  findRule,
  groupNamesIn,
  resolveAccount,
  resolvePermissionSet,
} from "./policy/lookup.js";
export {
  type ApprovalPlan,
  type ApprovedParts,
  decideParts,
  everyPartApproved,
  hasQuorum,
  mayDeny,
  type PartsAsk,
  planApproval,
} from "./policy/parts.js";
export { decideRequest, describeOffers, offersFor } from "./policy/request-rules.js";
export { DEFAULT_APPROVER_REMINDER_SECONDS, type RuleTimings, timingsFor } from "./policy/timings.js";
export type { Actor, Approved, Check, Offer, OnePartAsk, RefusalCode, Refused } from "./policy/types.js";
export { MANAGEMENT_ACCOUNT_REASON } from "./policy/types.js";
