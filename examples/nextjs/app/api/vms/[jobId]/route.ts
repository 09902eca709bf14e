import { jobStore } from "../../../../lib/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The state of one job: `provisioning`, then `succeeded` with the VM, or `failed` with the phase. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ jobId: string }> },
): Promise<Response> {
  const { jobId } = await params;
  const job = jobStore().jobs.get(jobId);
  if (!job) {
    return Response.json(
      { error: `No job ${JSON.stringify(jobId)} in this process; start one with POST /api/vms.` },
      { status: 404 },
    );
  }
  return Response.json(job, { status: 200 });
}
