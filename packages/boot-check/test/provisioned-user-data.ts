import { type ProvisionOptions, provisionVM, silentLogger } from "@tailvm/provisioner";
import { createSimulatedCloud } from "@tailvm/testing";

/**
 * The user data provisionVM() really sends for `options`: it provisions against the simulated
 * clouds and reads the created server's user_data back. The simulated catalog has no debian-13,
 * so a debian-13 run is provisioned as debian-12: the user data depends on the image only through
 * the Tailscale repository's distribution, `debian` for both (the boot tier checks that with plan()).
 */
export async function provisionedUserData(options: ProvisionOptions): Promise<string> {
  const sim = createSimulatedCloud();
  const image = options.image === "debian-13" ? "debian-12" : options.image;
  await provisionVM(
    { ...options, ...(image === undefined ? {} : { image }) },
    {
      ...sim.context({ tailscaleAuth: "oauth" }),
      logger: silentLogger,
    },
  );
  const userData = sim.state.servers()[0]?.user_data;
  if (typeof userData !== "string") throw new Error("the simulated server has no user data");
  return userData;
}
