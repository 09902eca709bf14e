import type { InputIssue } from "../errors.js";
import type { Run } from "../run.js";

const IMAGE_ID = /^\d+$/;

/**
 * Whether `GET /images` knows the image name for the architecture; an input issue listing the
 * current system images when it does not. An image id is left for the create to check.
 */
export async function imageIssue(
  run: Run,
  image: string,
  architecture: "x86" | "arm",
): Promise<InputIssue | undefined> {
  if (IMAGE_ID.test(image)) return undefined;
  const found = await run.hetzner.listImages({ name: image, architecture, signal: run.signal });
  if (found.length > 0) return undefined;
  const system = await run.hetzner.listImages({ type: "system", architecture, signal: run.signal });
  const names = [...new Set(system.map((item) => item.name).filter((name) => name !== null))];
  return {
    field: "image",
    message: `${image} is not an image Hetzner offers for ${architecture}; current system images: ${names.sort().join(", ") || "(none listed)"}`,
  };
}
