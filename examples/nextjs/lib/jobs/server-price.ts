import { hetznerApi, logger } from "../environment.ts";

/** Hetzner's gross prices (EUR, decimal strings) of a server type in a location. */
export interface ServerPrice {
  hourly: string;
  monthly: string;
}

interface PriceEntry {
  location?: string;
  price_hourly?: { gross?: string };
  price_monthly?: { gross?: string };
}

/**
 * The price of `serverType` in `location` from `GET /server_types`, or undefined when it is not
 * known (no Hetzner token here, an error, a type or location without a price): a price is shown
 * when known, and never holds a job up.
 */
export async function lookUpServerPrice(
  serverType: string,
  location: string,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ServerPrice | undefined> {
  const api = hetznerApi();
  if (!api) return undefined;
  try {
    const response = await (options.fetch ?? fetch)(
      `${api.baseUrl}/server_types?name=${encodeURIComponent(serverType)}`,
      {
        headers: { Authorization: `Bearer ${api.token}` },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      },
    );
    if (!response.ok) throw new Error(`GET /server_types answered ${response.status}`);
    const body = (await response.json()) as { server_types?: { prices?: PriceEntry[] }[] };
    const entry = body.server_types?.[0]?.prices?.find((price) => price.location === location);
    const hourly = entry?.price_hourly?.gross;
    const monthly = entry?.price_monthly?.gross;
    return hourly && monthly ? { hourly, monthly } : undefined;
  } catch (error) {
    logger.warn?.(`No price for ${serverType} in ${location}.`, {
      reason: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
