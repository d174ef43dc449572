import { describe, expect, it } from "vitest";
import {
  GRANT_ID_ALPHABET,
  GRANT_ID_PATTERN,
  newGrantId,
  normaliseGrantId,
  type RandomBytes,
} from "../../../src/domain/ids.js";

/** Hands out the given bytes in order, as many as each call asks for. */
function scriptedBytes(bytes: number[]): RandomBytes {
  let next = 0;
  return (count) => Uint8Array.from({ length: count }, () => bytes[next++] ?? 0);
}

describe("grant ids", () => {
  it("leaves out characters that are easy to misread", () => {
    expect(GRANT_ID_ALPHABET).toHaveLength(31);
    expect(GRANT_ID_ALPHABET).not.toMatch(/[01ilo]/);
    expect(new Set(GRANT_ID_ALPHABET).size).toBe(GRANT_ID_ALPHABET.length);
  });

  it("makes 10,000 distinct ids that all match the pattern", () => {
    const ids = Array.from({ length: 10_000 }, () => newGrantId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !GRANT_ID_PATTERN.test(id))).toEqual([]);
  });

  it("uses every character of the alphabet", () => {
    const seen = new Set(Array.from({ length: 2_000 }, () => newGrantId()).join(""));
    expect([...seen].sort().join("")).toBe(GRANT_ID_ALPHABET);
  });

  it("maps random bytes onto the alphabet", () => {
    expect(newGrantId(scriptedBytes([0, 1, 2, 30, 31, 61, 62, 247]))).toBe("234z2z2z");
  });

  it("throws away bytes that would bias the draw", () => {
    expect(newGrantId(scriptedBytes([248, 255, 0, 250, 1, 2, 3, 4, 5, 6, 7, 252]))).toBe("23456789");
  });

  it.each<[string, string | undefined]>([
    ["k7m2x9qa", "k7m2x9qa"],
    ["K7M2X9QA", "k7m2x9qa"],
    ["k7M2x9Qa", "k7m2x9qa"],
    ["`k7m2x9qa`", "k7m2x9qa"],
    ["`K7M2X9QA`", "k7m2x9qa"],
    ["  k7m2x9qa\n", "k7m2x9qa"],
    ["```k7m2x9qa```", "k7m2x9qa"],
    ["k7m2x9q", undefined],
    ["k7m2x9qab", undefined],
    ["k7m2x9q0", undefined],
    ["k7m2x9q1", undefined],
    ["k7m2x9qi", undefined],
    ["k7m2x9ql", undefined],
    ["k7m2x9qo", undefined],
    ["k7m2 x9qa", undefined],
    ["k7m2-x9qa", undefined],
    ["\u212A7m2x9qa", undefined],
    ["", undefined],
    ["``", undefined],
  ])("normalises %j to %j", (text, id) => {
    expect(normaliseGrantId(text)).toBe(id);
  });

  it("accepts only canonical ids in the pattern", () => {
    expect(GRANT_ID_PATTERN.test("k7m2x9qa")).toBe(true);
    expect(GRANT_ID_PATTERN.test("K7M2X9QA")).toBe(false);
    expect(GRANT_ID_PATTERN.test("xk7m2x9qa")).toBe(false);
  });
});
