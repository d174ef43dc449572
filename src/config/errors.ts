import { DomainError } from "../domain/errors.js";

/** The config file is not valid; `problems` lists each one as `path: what is wrong`, and so does the message. */
export class ConfigInvalid extends DomainError {
  readonly code = "CONFIG_INVALID";
  constructor(
    readonly source: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(
      `${source} is not a valid access config (${count}):\n${problems.map((p) => `- ${p}`).join("\n")}`,
      options,
    );
  }
}

/** The config file does not exist; the message says how to create one. */
export class ConfigNotFound extends DomainError {
  readonly code = "CONFIG_NOT_FOUND";
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(
      `no access config at ${path}: copy access.example.yml to ${path} and edit it, or set ACCESS_CONFIG to its path`,
      options,
    );
  }
}
