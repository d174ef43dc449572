/** What buttons that carry more than a grant id put in their `value`, and how listeners read it back. */

const SEPARATOR = ":";

/** `<grant id>:<seconds>` for Extend. */
export function extendValue(grantId: string, seconds: number): string {
  return `${grantId}${SEPARATOR}${seconds}`;
}

/** The grant and whole minutes an Extend button asks for; undefined for anything else. */
export function readExtendValue(value: string): { grantId: string; seconds: number } | undefined {
  const [grantId = "", seconds = "", ...rest] = value.split(SEPARATOR);
  const parsed = Number(seconds);
  if (rest.length > 0 || grantId === "" || !/^\d{1,8}$/.test(seconds) || parsed <= 0 || parsed % 60 !== 0) {
    return undefined;
  }
  return { grantId, seconds: parsed };
}

/** `<grant id>:<extension id>` for Approve and Deny on an extension. */
export function extensionValue(grantId: string, extensionId: string): string {
  return `${grantId}${SEPARATOR}${extensionId}`;
}

export function readExtensionValue(value: string): { grantId: string; extensionId: string } | undefined {
  const [grantId = "", extensionId = "", ...rest] = value.split(SEPARATOR);
  if (rest.length > 0 || grantId === "" || !/^e\d{1,10}$/.test(extensionId)) return undefined;
  return { grantId, extensionId };
}
