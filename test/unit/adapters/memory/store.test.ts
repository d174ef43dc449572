import { MemoryGrantStore } from "../../../../src/adapters/memory/store.js";
import { describeGrantStoreContract } from "../../../support/store-contract.js";

describeGrantStoreContract("MemoryGrantStore", () => new MemoryGrantStore());
