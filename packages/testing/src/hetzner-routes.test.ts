import { describe, expect, it } from "vitest";
import { apiOf } from "../test/helpers.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";
import { createVirtualClock } from "./virtual-clock.js";

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
    sim.faults.setUnavailable("cx22", "nbg1");
    const refused = await api.createServer({ name: "a", server_type: "cx22", location: "nbg1" });
    expect(refused.status).toBe(412);
    expect(refused.json.error.code).toBe("resource_unavailable");
    const types = await api.hetzner("GET", "/server_types?name=cx22");
    const nbg1 = types.json.server_types[0].locations.find(
      (location: { name: string }) => location.name === "nbg1",
    );
    expect(nbg1.available).toBe(false);
    expect(
      (await api.createServer({ name: "b", server_type: "cx22", location: "fsn1" })).status,
    ).toBe(201);
  });

  it("refuses a server type not offered in the location", async () => {
    const { api } = setup();
    const response = await api.createServer({ name: "a", server_type: "cx22", location: "ash" });
    expect(response.status).toBe(422);
    expect(response.json.error.details.fields[0].name).toBe("server_type");
  });

  it("picks an available location when none is given", async () => {
    const { api, sim } = setup();
    sim.faults.setUnavailable("cx22", "fsn1");
    const response = await api.hetzner("POST", "/servers", {
      name: "anywhere",
      server_type: "cx22",
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

  it("lists locations and creates and uses SSH keys", async () => {
    const { api } = setup();
    const locations = await api.hetzner("GET", "/locations");
    expect(locations.json.locations.map((location: { name: string }) => location.name)).toEqual(
      expect.arrayContaining(["nbg1", "fsn1", "hel1", "ash", "hil", "sin"]),
    );
    const key = await api.hetzner("POST", "/ssh_keys", {
      name: "ci",
      public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBB ci@example",
    });
    expect(key.status).toBe(201);
    const other = await api.hetzner("POST", "/ssh_keys", {
      name: "other",
      public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCC other@example",
    });
    expect(other.json.ssh_key.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(other.json.ssh_key.fingerprint).not.toBe(key.json.ssh_key.fingerprint);
    const duplicate = await api.hetzner("POST", "/ssh_keys", {
      name: "ci",
      public_key: "ssh-ed25519 AAAA x",
    });
    expect(duplicate.json.error.code).toBe("uniqueness_error");
    expect((await api.hetzner("GET", "/ssh_keys?name=ci")).json.ssh_keys).toHaveLength(1);
    const withKey = await api.createServer({ name: "k", ssh_keys: ["ci"] });
    expect(withKey.json.root_password).toBeNull();
    const unknownKey = await api.createServer({ name: "u", ssh_keys: ["nope"] });
    expect(unknownKey.json.error.details.fields[0].name).toBe("ssh_keys");
  });
});
