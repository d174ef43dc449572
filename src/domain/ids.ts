/** Letters and digits that cannot be misread for one another: no 0, 1, i, l or o. */
export const GRANT_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";

/** Eight characters of 31 give about 8.5e11 ids: short enough to type, too many to guess or collide. */
export const GRANT_ID_LENGTH = 8;

/** A canonical grant id: exactly eight lower-case characters of the alphabet. */
export const GRANT_ID_PATTERN = new RegExp(`^[${GRANT_ID_ALPHABET}]{${GRANT_ID_LENGTH}}$`);

const LOOSE_ID = new RegExp(`^\`*([${GRANT_ID_ALPHABET}]{${GRANT_ID_LENGTH}})\`*$`, "i");

/** Bytes below this are used; the rest are thrown away so every character is equally likely. */
const BYTE_LIMIT = 256 - (256 % GRANT_ID_ALPHABET.length);

/** Source of random bytes; a parameter so tests can drive the rejection sampling. */
export type RandomBytes = (count: number) => Uint8Array;

const cryptoRandomBytes: RandomBytes = (count) => crypto.getRandomValues(new Uint8Array(count));

/** A fresh grant id, drawn uniformly from the alphabet by rejection sampling (no modulo bias). */
export function newGrantId(random: RandomBytes = cryptoRandomBytes): string {
  let id = "";
  while (id.length < GRANT_ID_LENGTH) {
    for (const byte of random(GRANT_ID_LENGTH - id.length + 2)) {
      if (byte < BYTE_LIMIT && id.length < GRANT_ID_LENGTH) {
        id += GRANT_ID_ALPHABET.charAt(byte % GRANT_ID_ALPHABET.length);
      }
    }
  }
  return id;
}

/** The canonical id for what a user typed (`K7M2X9QA`, backticks copied from a message), or undefined. */
export function normaliseGrantId(text: string): string | undefined {
  const match = LOOSE_ID.exec(text.trim());
  return match?.[1]?.toLowerCase();
}

/** Request ids are `r-` and eight characters of the grant id alphabet: never mistaken for a grant id. */
export const REQUEST_ID_PREFIX = "r-";
/** A canonical request id, e.g. `r-k7m2x9qa`. */
export const REQUEST_ID_PATTERN = new RegExp(`^r-[${GRANT_ID_ALPHABET}]{${GRANT_ID_LENGTH}}$`);

const LOOSE_REQUEST_ID = new RegExp(`^\`*r-([${GRANT_ID_ALPHABET}]{${GRANT_ID_LENGTH}})\`*$`, "i");

/** A fresh id for a request of several parts; its grants keep their own ids. */
export function newRequestId(random: RandomBytes = cryptoRandomBytes): string {
  return `${REQUEST_ID_PREFIX}${newGrantId(random)}`;
}

/** The canonical request id for what a user typed (`R-K7M2X9QA`, backticks copied), or undefined. */
export function normaliseRequestId(text: string): string | undefined {
  const match = LOOSE_REQUEST_ID.exec(text.trim());
  return match?.[1] === undefined ? undefined : `${REQUEST_ID_PREFIX}${match[1].toLowerCase()}`;
}

/** A grant id or a request id, canonical, for commands that take either; undefined when it is neither. */
export function normaliseId(text: string): string | undefined {
  return normaliseGrantId(text) ?? normaliseRequestId(text);
}

/** Whether a canonical id names a request rather than a grant. */
export function isRequestId(id: string): boolean {
  return id.startsWith(REQUEST_ID_PREFIX);
}
