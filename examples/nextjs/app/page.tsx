export default function Home() {
  return (
    <main>
      <h1>tailvm on Next.js</h1>
      <ul>
        <li>
          <code>POST /api/vms</code> starts provisioning a VM and answers 202 with its job id.
        </li>
        <li>
          <code>GET /api/vms/&lt;jobId&gt;</code> tells how that job is doing, and its tailnet
          address once it is up.
        </li>
        <li>
          <code>POST /api/vms/callback</code> receives signed results (Standard Webhooks) from the
          tailvm GitHub Action.
        </li>
      </ul>
    </main>
  );
}
