import type { InputIssue } from "../errors.js";
import type { Run } from "../run.js";

const IMAGE_ID = /^\d+$/;

/**
 * Whether the catalog's `GET /images?name=…` answer (shared by the scope's runs) holds the image
 * for each architecture; an input issue per missing one, listing the current system images. An
 * image id is left for the create to check.
 */
export async function imageIssues(
  run: Run,
  image: string,
  architectures: Promise<readonly ("x86" | "arm")[]>,
): Promise<InputIssue[]> {
  if (IMAGE_ID.test(image)) return [];
  // The lookup goes out beside the catalog read that tells the architectures.
  const [found, needed] = await Promise.all([run.catalog.images(image, run.signal), architectures]);
  const missing = needed.filter(
    (architecture) => !found.some((item) => item.architecture === architecture),
  );
  return Promise.all(
    missing.map(async (architecture): Promise<InputIssue> => {
      const system = await run.hetzner.listImages({
        type: "system",
        architecture,
        signal: run.signal,
      });
      const names = [...new Set(system.map((item) => item.name).filter((name) => name !== null))];
      return {
        field: "image",
        message: `${image} is not an image Hetzner offers for ${architecture}; current system images: ${names.sort().join(", ") || "(none listed)"}`,
      };
    }),
  );
}
