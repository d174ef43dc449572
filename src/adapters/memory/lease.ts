import type { Lease, LeaseStore } from "../../app/ports.js";
import { LeaseChangedConcurrently } from "../../domain/errors.js";

/** Leases in memory with the DynamoDB adapter's conditions, for use-case tests. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, Lease>();

  async readLease(name: string): Promise<Lease | undefined> {
    const lease = this.leases.get(name);
    return lease === undefined ? undefined : { ...lease };
  }

  async writeLease(next: Lease, expectVersion: number | undefined): Promise<void> {
    const current = this.leases.get(next.name);
    if (current?.version !== expectVersion) {
      throw new LeaseChangedConcurrently(`lease ${next.name} was changed by someone else`);
    }
    this.leases.set(next.name, { ...next });
  }
}
