import { isHetznerApiError } from "@tailvm/hetzner-client";
import type { InputIssue } from "../errors.js";
import type { Run } from "../run.js";

/**
 * An input issue for each private network id `GET /networks/{id}` does not know, naming
 * `networks[i]` and the id, so a wrong id stops the run before anything is created. The networks
 * are looked up at once.
 */
export async function networkIssues(run: Run, networks: readonly number[]): Promise<InputIssue[]> {
  const issues = await Promise.all(
    networks.map(async (id, index): Promise<InputIssue | undefined> => {
      try {
        await run.hetzner.getNetwork(id, { signal: run.signal });
        return undefined;
      } catch (error) {
        if (!isHetznerApiError(error, "not_found")) throw error;
        return {
          field: `networks[${index}]`,
          message: `network ${id} does not exist in this Hetzner project; pass the id of an existing private network (hcloud network list), or leave networks out`,
        };
      }
    }),
  );
  return issues.filter((issue) => issue !== undefined);
}
