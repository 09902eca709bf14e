import { VmConsole } from "./vm-console.tsx";

export default function Home() {
  return (
    <main
      style={{
        fontFamily: "system-ui, sans-serif",
        maxWidth: 1100,
        margin: "2rem auto",
        padding: "0 1rem",
      }}
    >
      <h1>Agent VMs</h1>
      <p>
        Hetzner Cloud VMs on your tailnet, provisioned by this app with{" "}
        <code>@tailvm/provisioner</code>.
      </p>
      <VmConsole />
    </main>
  );
}
