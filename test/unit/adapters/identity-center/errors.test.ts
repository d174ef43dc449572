import { describe, expect, it } from "vitest";
import * as adapterErrors from "../../../../src/adapters/identity-center/errors.js";
import { ServiceError } from "../../../../src/app/errors.js";
import { DomainError } from "../../../../src/domain/errors.js";

describe("Identity Center adapter errors", () => {
  it.each(
    Object.entries(adapterErrors)
      .filter(([name, value]) => typeof value === "function" && /^[A-Z]/.test(name))
      .map(([name, value]) => [name, value as { prototype: object }] as const),
  )("%s is a ServiceError, never a DomainError", (_, errorClass) => {
    expect(errorClass.prototype).toBeInstanceOf(ServiceError);
    expect(errorClass.prototype).not.toBeInstanceOf(DomainError);
  });
});
