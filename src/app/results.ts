import type { Grant } from "../domain/grant.js";
import type { Offer } from "../domain/policy.js";

/** Fields the request modal is opened with. */
export interface ModalPrefill {
  account?: string;
  permissionSet?: string;
  durationSeconds?: number;
  reason?: string;
}

/** What a `/aws-access` command led to; the Slack adapter renders it. Failures are thrown as DomainErrors. */
export type CommandResult =
  | { kind: "requested"; grant: Grant }
  | { kind: "list"; grants: Grant[] }
  | { kind: "revoked"; grant: Grant }
  | { kind: "extended"; grant: Grant }
  | { kind: "help"; offers: Offer[] }
  | { kind: "modal"; prefill: ModalPrefill };
