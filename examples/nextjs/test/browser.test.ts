import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { simulatedCloudFixture, type TestApp } from "./app-fixture.ts";
import { appDirectory } from "./next-server.ts";

/** Debian's Chromium (`apt-get install chromium`); no browser is downloaded. */
const CHROMIUM = process.env.TAILVM_CHROMIUM ?? "/usr/lib/chromium/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
const resultsDirectory = join(appDirectory, "test-results");

describe.skipIf(!HAS_CHROMIUM)(
  `the page in Chromium ${HAS_CHROMIUM ? "" : `(skipped: no Chromium at ${CHROMIUM}; apt-get install chromium, or set TAILVM_CHROMIUM)`}`,
  () => {
    const cloud = simulatedCloudFixture({ timeScale: 100 });
    let app: TestApp;
    let browser: Browser;

    beforeAll(async () => {
      app = await cloud.start();
      browser = cloud.track(await chromium.launch({ executablePath: CHROMIUM, timeout: 30_000 }));
      await mkdir(resultsDirectory, { recursive: true });
    });

    it("signs in with a token, starts a VM, shows its address, and deletes it", async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
      page.setDefaultTimeout(20_000);
      try {
        await page.goto(app.server.url);
        await page
          .getByLabel("API token")
          .fill("tvm_wrongwrongwr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("alert").filter({ hasText: "The API token is not valid" }).waitFor();

        await page.getByLabel("API token").fill(app.token);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByText("No VMs yet.").waitFor();

        await page.getByLabel("Agent id").fill("agent-browser");
        await page.getByLabel("Region").selectOption("eu-central");
        await page.getByRole("button", { name: "Start VM" }).click();

        const row = page.getByRole("row").filter({ hasText: "agent-browser" });
        await row.getByText("succeeded").waitFor();
        const address = (await row.getByRole("cell").nth(5).textContent()) ?? "";
        expect(address).toMatch(/^100\.\d+\.\d+\.\d+$/);
        expect(cloud.sim.state.devices().map((device) => device.addresses[0])).toEqual([address]);
        await expect.poll(() => row.textContent()).toMatch(/cx23.*nbg1.*€0\.\d{4}\/h/);
        await page.screenshot({ path: join(resultsDirectory, "vm-running.png") });

        // Signed in for the tab: a reload keeps the session.
        await page.reload();
        await row.getByText("succeeded").waitFor();

        await row.getByRole("button", { name: "Delete agent-browser" }).click();
        await page.getByText("No VMs yet.").waitFor();
        await page.screenshot({ path: join(resultsDirectory, "vm-deleted.png") });
        expect(cloud.sim.state.servers()).toEqual([]);
        expect(cloud.sim.state.devices()).toEqual([]);
      } finally {
        await page.close();
      }
    });
  },
);
