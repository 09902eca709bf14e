"use client";

import { type FormEvent, useCallback, useEffect, useState } from "react";
import type { JobView } from "../lib/jobs/job-view.ts";

// The token lives in sessionStorage, not a cookie: the API authenticates with a bearer header the
// page adds itself, so no request carries credentials the browser attaches on its own, and a
// cross-site form or link cannot act as the user (no CSRF defence needed). It is gone when the tab
// closes. The page renders no HTML from the API (React escapes every value), which is what keeps
// a script from reading it.
const TOKEN_KEY = "tailvm.apiToken";

type Load = { state: "idle" } | { state: "error"; message: string };

async function api(token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(path, {
    ...init,
    headers: {
      ...init.headers,
      Authorization: `Bearer ${token}`,
      "content-type": "application/json",
    },
  });
}

async function problem(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as {
    error?: string;
    issues?: { field: string; message: string }[];
  };
  const issues = body.issues?.map((issue) => `${issue.field} ${issue.message}`).join("; ");
  return issues
    ? `${body.error ?? response.status} ${issues}`
    : (body.error ?? `HTTP ${response.status}`);
}

function SignIn({ onToken }: { onToken: (token: string) => void }) {
  const [value, setValue] = useState("");
  const [error, setError] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const token = value.trim();
    const response = await api(token, "/api/vms?limit=1");
    if (response.ok) onToken(token);
    else setError(await problem(response));
  };
  return (
    <form onSubmit={submit} aria-label="Sign in">
      <label>
        API token{" "}
        <input
          type="password"
          autoComplete="off"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          size={70}
        />
      </label>{" "}
      <button type="submit">Sign in</button>
      {error ? <p role="alert">{error}</p> : null}
      <p>
        Create a token on the server with{" "}
        <code>pnpm --filter @tailvm/example-nextjs token create &lt;name&gt;</code>.
      </p>
    </form>
  );
}

function price(vm: JobView["vm"]): string {
  return vm?.price ? `€${Number(vm.price.hourly).toFixed(4)}/h` : "";
}

export function VmConsole() {
  const [token, setToken] = useState<string | null>(null);
  const [vms, setVms] = useState<JobView[] | null>(null);
  const [load, setLoad] = useState<Load>({ state: "idle" });
  const [agentId, setAgentId] = useState("");
  const [region, setRegion] = useState("eu-central");

  useEffect(() => setToken(sessionStorage.getItem(TOKEN_KEY)), []);

  const signIn = (value: string) => {
    sessionStorage.setItem(TOKEN_KEY, value);
    setToken(value);
  };
  const signOut = useCallback(() => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setVms(null);
  }, []);

  const refresh = useCallback(async () => {
    if (!token) return;
    const response = await api(token, "/api/vms");
    if (response.status === 401) return signOut();
    if (!response.ok) return setLoad({ state: "error", message: await problem(response) });
    setVms(((await response.json()) as { vms: JobView[] }).vms);
  }, [token, signOut]);

  const busy = vms?.some((vm) => vm.status === "provisioning" || vm.status === "deleting") ?? false;
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), busy ? 1_000 : 5_000);
    return () => clearInterval(timer);
  }, [refresh, busy]);

  if (!token) return <SignIn onToken={signIn} />;

  const start = async (event: FormEvent) => {
    event.preventDefault();
    const response = await api(token, "/api/vms", {
      method: "POST",
      body: JSON.stringify({ agentId: agentId.trim(), region }),
    });
    if (response.ok) {
      setAgentId("");
      setLoad({ state: "idle" });
    } else {
      setLoad({ state: "error", message: await problem(response) });
    }
    await refresh();
  };

  const remove = async (jobId: string) => {
    const response = await api(token, `/api/vms/${encodeURIComponent(jobId)}`, {
      method: "DELETE",
    });
    setLoad(response.ok ? { state: "idle" } : { state: "error", message: await problem(response) });
    await refresh();
  };

  return (
    <section>
      <form onSubmit={start} aria-label="Start a VM">
        <label>
          Agent id{" "}
          <input value={agentId} onChange={(event) => setAgentId(event.target.value)} required />
        </label>{" "}
        <label>
          Region{" "}
          <select value={region} onChange={(event) => setRegion(event.target.value)}>
            {["eu-central", "eu-north", "us-east", "us-west", "ap-southeast"].map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>{" "}
        <button type="submit">Start VM</button>{" "}
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </form>
      {load.state === "error" ? <p role="alert">{load.message}</p> : null}
      {vms === null ? (
        <p>Loading…</p>
      ) : vms.length === 0 ? (
        <p>No VMs yet.</p>
      ) : (
        <table style={{ borderCollapse: "collapse", width: "100%", marginTop: "1rem" }}>
          <thead>
            <tr style={{ textAlign: "left" }}>
              {["Agent", "Status", "Type", "Location", "Price", "Tailnet address", "Job", ""].map(
                (name) => (
                  <th key={name} style={{ borderBottom: "1px solid #999", padding: "0.3rem" }}>
                    {name}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {vms.map((vm) => (
              <tr key={vm.jobId} data-job-id={vm.jobId}>
                <td style={{ padding: "0.3rem" }}>{vm.agentId}</td>
                <td style={{ padding: "0.3rem" }} title={vm.error?.message ?? ""}>
                  {vm.status}
                  {vm.error ? ` (${vm.error.phase ?? "error"})` : ""}
                </td>
                <td style={{ padding: "0.3rem" }}>{vm.vm?.serverType ?? ""}</td>
                <td style={{ padding: "0.3rem" }}>{vm.vm?.location ?? vm.region ?? ""}</td>
                <td style={{ padding: "0.3rem" }}>{price(vm.vm)}</td>
                <td style={{ padding: "0.3rem" }}>
                  <code>{vm.vm?.tailscaleIp ?? ""}</code>
                </td>
                <td style={{ padding: "0.3rem" }}>
                  <code>{vm.jobId}</code>
                </td>
                <td style={{ padding: "0.3rem" }}>
                  <button
                    type="button"
                    onClick={() => void remove(vm.jobId)}
                    disabled={vm.status === "deleting" || vm.status === "provisioning"}
                    aria-label={`Delete ${vm.agentId}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
