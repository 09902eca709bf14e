import { existsSync, readFileSync } from "node:fs";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { render } from "../src/index.js";
import { DEBIAN_SCHEMA_PATH, IN_CI } from "./cloud-init-tools.js";
import { BROKEN_EXAMPLES, VALID_EXAMPLES } from "./examples.js";

const SCHEMA_FOUND = existsSync(DEBIAN_SCHEMA_PATH);

describe.runIf(SCHEMA_FOUND || IN_CI)(
  "cloud-init's JSON schema (Debian cloud-init package)",
  () => {
    const validator = (() => {
      if (!SCHEMA_FOUND) return undefined;
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      return ajv.compile(JSON.parse(readFileSync(DEBIAN_SCHEMA_PATH, "utf8")));
    })();

    function check(config: Parameters<typeof render>[0]) {
      if (validator === undefined) {
        throw new Error(
          `CI is set but ${DEBIAN_SCHEMA_PATH} is missing: apt-get install cloud-init`,
        );
      }
      // Validate what cloud-init would read: the rendered text, parsed back.
      const data = parse(render(config), { version: "1.1" });
      const valid = validator(data);
      return { valid, errors: validator.errors ?? [] };
    }

    it.each(Object.entries(VALID_EXAMPLES))("accepts the rendered %s example", (_name, config) => {
      const { valid, errors } = check(config);
      expect(errors).toEqual([]);
      expect(valid).toBe(true);
    });

    it.each(Object.entries(BROKEN_EXAMPLES))(
      "rejects a config with a %s",
      (_name, { config, field }) => {
        const { valid, errors } = check(config);
        expect(valid).toBe(false);
        const expectedPointer = `/${field.replaceAll(".", "/")}`;
        expect(errors.some((error) => error.instancePath.startsWith(expectedPointer))).toBe(true);
      },
    );
  },
);

if (!SCHEMA_FOUND && !IN_CI) {
  describe("cloud-init's JSON schema", () => {
    it.skip(`skipped: ${DEBIAN_SCHEMA_PATH} not found (install cloud-init; with CI set this fails instead)`, () => {});
  });
}
