import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import { apiOf } from "../test/helpers.js";
import { ED25519_CI } from "../test/ssh-keys.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";

const setup = () => {
  const clock = createVirtualClock({ autoAdvance: false });
  const sim = createSimulatedCloud({ clock });
  return { clock, sim, api: apiOf(sim) };
};

describe("Hetzner servers", () => {
  it("refuses a duplicate name with 409 uniqueness_error naming the field", async () => {
    const { api, sim } = setup();
    expect((await api.createServer({ name: "dup" })).status).toBe(201);
    const second = await api.createServer({ name: "dup" });
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe("uniqueness_error");
    expect(second.json.error.details.fields).toEqual([{ name: "name" }]);
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("answers invalid_input (422) naming every bad field", async () => {
    const { api } = setup();
    const response = await api.hetzner("POST", "/servers", {
      name: "bad name!",
      image: "windows-11",
      location: "mars1",
      labels: { "ok-key": "bad value with spaces" },
    });
    expect(response.status).toBe(422);
    expect(response.json.error.code).toBe("invalid_input");
    const names = response.json.error.details.fields.map((field: { name: string }) => field.name);
    expect(names).toEqual(["name", "server_type", "image", "location", "labels.ok-key"]);
    expect(response.json.error.message).toContain("'name'");
  });

  it("answers json_error for a body that is not JSON", async () => {
    const { sim } = setup();
    const response = await sim.fetch(`${sim.hetznerUrl}/servers`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` },
      body: "{nope",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("json_error");
  });

  it("refuses user_data over 32 KiB and accepts exactly 32 KiB", async () => {
    const { api } = setup();
    const tooLong = await api.createServer({ name: "big", user_data: "x".repeat(32 * 1024 + 1) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json.error.details.fields[0].name).toBe("user_data");
    const limit = await api.createServer({ name: "limit", user_data: "x".repeat(32 * 1024) });
    expect(limit.status).toBe(201);
  });

  it("answers resource_unavailable (412) for an unavailable pair and shows it in server_types", async () => {
    const { api, sim } = setup();
    sim.faults.setUnavailable("cx23", "nbg1");
    const refused = await api.createServer({ name: "a", server_type: "cx23", location: "nbg1" });
    expect(refused.status).toBe(412);
    expect(refused.json.error.code).toBe("resource_unavailable");
    const types = await api.hetzner("GET", "/server_types?name=cx23");
    const nbg1 = types.json.server_types[0].locations.find(
      (location: { name: string }) => location.name === "nbg1",
    );
    expect(nbg1.available).toBe(false);
    expect(
      (await api.createServer({ name: "b", server_type: "cx23", location: "fsn1" })).status,
    ).toBe(201);
  });

  it("refuses a server type not offered in the location as Hetzner does", async () => {
    const { api } = setup();
    const response = await api.createServer({ name: "a", server_type: "cx23", location: "ash" });
    expect(response.status).toBe(422);
    expect(response.json.error).toEqual({
      code: "invalid_input",
      message: "unsupported location for server type",
      details: {},
    });
  });

  it("takes the ID or the name of the server type, image, location and SSH keys", async () => {
    const { api, sim } = setup();
    const key = await api.hetzner("POST", "/ssh_keys", { name: "ci", public_key: ED25519_CI });
    const byId = await api.hetzner("POST", "/servers", {
      name: "by-id",
      server_type: 114,
      image: "161547269",
      location: 2,
      ssh_keys: [key.json.ssh_key.id],
    });
    expect(byId.status).toBe(201);
    expect(byId.json.server).toMatchObject({
      server_type: { name: "cx23" },
      image: { name: "ubuntu-24.04", architecture: "x86" },
      location: { name: "nbg1" },
    });
    const byName = await api.hetzner("POST", "/servers", {
      name: "by-name",
      server_type: "cax11",
      image: "ubuntu-24.04",
      location: "hel1",
      ssh_keys: ["ci"],
    });
    // A name picks the image of the server type's architecture.
    expect(byName.json.server.image).toMatchObject({ id: 161547270, architecture: "arm" });
    expect(sim.state.servers().map((server) => server.ssh_keys)).toEqual([["ci"], ["ci"]]);
    const mismatch = await api.hetzner("POST", "/servers", {
      name: "mismatch",
      server_type: "cax11",
      image: 161547269,
    });
    expect(mismatch.json.error.details.fields[0].name).toBe("image");
  });

  it("names what it cannot find, and answers 501 for fields it does not simulate", async () => {
    const { api } = setup();
    const missing = await api.createServer({
      name: "m",
      server_type: "cx99",
      image: 42,
      location: "mars1",
    });
    expect(missing.status).toBe(422);
    expect(missing.json.error.message).toBe(
      "invalid input in field 'server_type': server type 'cx99' not found",
    );
    expect(missing.json.error.details.fields).toEqual([
      { name: "server_type", messages: ["server type 'cx99' not found"] },
      { name: "image", messages: ["image '42' not found"] },
      { name: "location", messages: ["location 'mars1' not found"] },
    ]);
    const datacenter = await api.createServer({ name: "d", datacenter: "nbg1-dc3" });
    expect(datacenter.json.error.details.fields[0].name).toBe("datacenter");
    const volumes = await api.createServer({ name: "n", networks: [], volumes: [1] });
    expect(volumes.status).toBe(501);
    expect(volumes.json.error.message).toContain("volumes is not simulated");
  });

  it("creates a server that stays off when start_after_create is false", async () => {
    const { api, clock, sim } = setup();
    const created = await api.createServer({ name: "cold", start_after_create: false });
    expect(created.json.next_actions).toEqual([]);
    await clock.advance(60_000);
    expect(sim.state.servers()[0]?.status).toBe("off");
  });

  it("picks an available location when none is given", async () => {
    const { api, sim } = setup();
    sim.faults.setUnavailable("cx23", "fsn1");
    const response = await api.hetzner("POST", "/servers", {
      name: "anywhere",
      server_type: "cx23",
      image: "debian-12",
    });
    expect(response.status).toBe(201);
    expect(response.json.server.location.name).toBe("nbg1");
  });

  it("checks the bearer token", async () => {
    const { api } = setup();
    const response = await api.hetzner("GET", "/servers", undefined, "wrong");
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe("unauthorized");
  });

  it("gets and deletes a server; delete returns a delete_server action", async () => {
    const { api, clock, sim } = setup();
    const created = await api.createServer({ name: "gone" });
    const id = created.json.server.id;
    expect((await api.hetzner("GET", `/servers/${id}`)).json.server.name).toBe("gone");
    const deleted = await api.hetzner("DELETE", `/servers/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json.action).toMatchObject({ command: "delete_server", status: "running" });
    expect((await api.hetzner("GET", `/servers/${id}`)).status).toBe(404);
    expect((await api.hetzner("DELETE", `/servers/${id}`)).json.error.code).toBe("not_found");
    await clock.advance(2_000);
    const action = await api.hetzner("GET", `/actions/${deleted.json.action.id}`);
    expect(action.json.action.status).toBe("success");
    expect(sim.state.servers()).toEqual([]);
  });

  it("batches GET /actions?id=&id=", async () => {
    const { api } = setup();
    const created = await api.createServer({ name: "batch" });
    const ids = [created.json.action.id, created.json.next_actions[0].id];
    const response = await api.hetzner("GET", `/actions?id=${ids[0]}&id=${ids[1]}`);
    expect(response.json.actions.map((action: { id: number }) => action.id)).toEqual(ids);
    expect((await api.hetzner("GET", "/actions")).status).toBe(422);
    expect((await api.hetzner("GET", "/actions/1")).status).toBe(404);
  });

  it("filters servers with label selectors", async () => {
    const { api } = setup();
    await api.createServer({ name: "a", labels: { env: "prod", role: "runner" } });
    await api.createServer({ name: "b", labels: { env: "staging" } });
    await api.createServer({ name: "c", labels: { env: "dev", temporary: "" } });
    const names = async (selector: string) =>
      (
        await api.hetzner("GET", `/servers?label_selector=${encodeURIComponent(selector)}`)
      ).json.servers
        .map((server: { name: string }) => server.name)
        .join(",");
    expect(await names("env=prod")).toBe("a");
    expect(await names("env==prod")).toBe("a");
    expect(await names("env!=prod")).toBe("b,c");
    expect(await names("role")).toBe("a");
    expect(await names("!role")).toBe("b,c");
    expect(await names("env in (prod,staging)")).toBe("a,b");
    expect(await names("env notin (prod,staging)")).toBe("c");
    expect(await names("env in (prod,dev),!temporary")).toBe("a");
    const bad = await api.hetzner("GET", `/servers?label_selector=${encodeURIComponent("a=(")}`);
    expect(bad.status).toBe(422);
    expect((await api.hetzner("GET", "/servers?name=b")).json.servers).toHaveLength(1);
  });

  it("paginates with per_page up to 50 and meta.pagination", async () => {
    const { api } = setup();
    for (let index = 0; index < 60; index += 1) await api.createServer({ name: `s${index}` });
    const first = await api.hetzner("GET", "/servers");
    expect(first.json.servers).toHaveLength(25);
    expect(first.json.meta.pagination).toEqual({
      page: 1,
      per_page: 25,
      previous_page: null,
      next_page: 2,
      last_page: 3,
      total_entries: 60,
    });
    const capped = await api.hetzner("GET", "/servers?per_page=100&page=2");
    expect(capped.json.servers).toHaveLength(10);
    expect(capped.json.servers[0].name).toBe("s50");
    expect(capped.json.meta.pagination).toMatchObject({
      per_page: 50,
      next_page: null,
      previous_page: 1,
    });
  });
});
