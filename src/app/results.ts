import type { StartSpec } from "../domain/duration.js";
import type { Grant } from "../domain/grant.js";
import type { Offer } from "../domain/policy.js";

/** Fields the request modal is opened with. */
export interface ModalPrefill {
  accounts?: string[];
  permissionSets?: string[];
  durationSeconds?: number;
  start?: StartSpec;
  reason?: string;
}

/** What a `/aws-access` command led to; the Slack adapter renders it. Failures are thrown as DomainErrors. */
export type CommandResult =
  /** One grant per part; `requestId` links several. */
  | { kind: "requested"; grants: Grant[]; requestId?: string }
  | { kind: "list"; grants: Grant[] }
  | { kind: "revoked"; grant: Grant }
  /** `revoke <request-id>`: the parts whose end (or cancellation) was set going. */
  | { kind: "revoked-request"; requestId: string; grants: Grant[] }
  | { kind: "extended"; grant: Grant }
  /** `extend <request-id>`: each active part, extended or with its extension waiting for approval. */
  | { kind: "extended-request"; requestId: string; grants: Grant[] }
  | { kind: "help"; offers: Offer[] }
  | { kind: "modal"; prefill: ModalPrefill };
