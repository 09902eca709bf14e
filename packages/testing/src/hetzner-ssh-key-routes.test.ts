import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import { apiOf } from "../test/helpers.js";
import {
  ED25519_CI,
  ED25519_CI_MD5,
  ED25519_OTHER,
  ED25519_OTHER_MD5,
  RSA_2048,
  RSA_2048_MD5,
} from "../test/ssh-keys.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";

const setup = () =>
  apiOf(createSimulatedCloud({ clock: createVirtualClock({ autoAdvance: false }) }));

describe("Hetzner SSH keys", () => {
  it("fingerprints keys with MD5 as ssh-keygen -E md5 does", async () => {
    const api = setup();
    const fingerprints = [];
    for (const [name, publicKey] of [
      ["ci", ED25519_CI],
      ["other", ED25519_OTHER],
      ["rsa", RSA_2048],
    ]) {
      const created = await api.hetzner("POST", "/ssh_keys", { name, public_key: publicKey });
      expect(created.status).toBe(201);
      fingerprints.push(created.json.ssh_key.fingerprint);
    }
    expect(fingerprints).toEqual([ED25519_CI_MD5, ED25519_OTHER_MD5, RSA_2048_MD5]);
    const found = await api.hetzner("GET", `/ssh_keys?fingerprint=${ED25519_OTHER_MD5}`);
    expect(found.json.ssh_keys.map((key: { name: string }) => key.name)).toEqual(["other"]);
  });

  it("refuses a second upload of the same key, and a taken name, with 409", async () => {
    const api = setup();
    await api.hetzner("POST", "/ssh_keys", { name: "ci", public_key: ED25519_CI });
    const sameKey = await api.hetzner("POST", "/ssh_keys", {
      name: "ci-again",
      public_key: ED25519_CI.replace("ci@example", "another comment"),
    });
    expect(sameKey.status).toBe(409);
    expect(sameKey.json.error).toEqual({
      code: "uniqueness_error",
      message: "SSH key with the same fingerprint already exists",
      details: { fields: [{ name: "public_key" }] },
    });
    const sameName = await api.hetzner("POST", "/ssh_keys", {
      name: "ci",
      public_key: ED25519_OTHER,
    });
    expect(sameName.status).toBe(409);
    expect(sameName.json.error.message).toBe("SSH key with the same name already exists");
    expect((await api.hetzner("GET", "/ssh_keys")).json.ssh_keys).toHaveLength(1);
  });

  it("refuses what is not an OpenSSH public key, naming the field", async () => {
    const api = setup();
    for (const publicKey of [
      "not a key",
      "ssh-ed25519 AAAA",
      "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIK+swpKLkyNrkgiijQrhAuBs0PJaapAsKYyj5iGL7Rll",
    ]) {
      const answer = await api.hetzner("POST", "/ssh_keys", { name: "k", public_key: publicKey });
      expect(answer.status, publicKey).toBe(422);
      expect(answer.json.error.details.fields[0].name).toBe("public_key");
    }
  });

  it("gets and deletes a key by ID (204), then answers 404", async () => {
    const api = setup();
    const created = await api.hetzner("POST", "/ssh_keys", {
      name: "ci",
      public_key: ED25519_CI,
      labels: { team: "infra" },
    });
    const id = created.json.ssh_key.id;
    const got = await api.hetzner("GET", `/ssh_keys/${id}`);
    expect(got.json.ssh_key).toMatchObject({ id, name: "ci", labels: { team: "infra" } });
    expect(
      (await api.hetzner("GET", "/ssh_keys?label_selector=team=infra")).json.ssh_keys,
    ).toHaveLength(1);
    const deleted = await api.hetzner("DELETE", `/ssh_keys/${id}`);
    expect(deleted.status).toBe(204);
    expect((await api.hetzner("GET", `/ssh_keys/${id}`)).json.error.code).toBe("not_found");
    expect((await api.hetzner("DELETE", `/ssh_keys/${id}`)).status).toBe(404);
    const server = await api.createServer({ name: "k", ssh_keys: [id] });
    expect(server.json.error.details.fields[0]).toEqual({
      name: "ssh_keys",
      messages: [`SSH key '${id}' not found`],
    });
  });

  it("injects keys into a server and then answers no root password", async () => {
    const api = setup();
    await api.hetzner("POST", "/ssh_keys", { name: "ci", public_key: ED25519_CI });
    const withKey = await api.createServer({ name: "k", ssh_keys: ["ci"] });
    expect(withKey.json.root_password).toBeNull();
    const withoutKey = await api.createServer({ name: "p" });
    expect(withoutKey.json.root_password).toEqual(expect.any(String));
  });
});
