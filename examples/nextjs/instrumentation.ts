/**
 * Runs once when `next start` (or `next dev`) starts: opens the database, applies its migrations
 * and finishes the jobs a stopped server left `provisioning`, before the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { appDatabase } = await import("./lib/app-database.ts");
  await appDatabase();
}
