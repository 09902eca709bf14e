import type { ReactNode } from "react";

export const metadata = {
  title: "tailvm example",
  description: "Provision Hetzner Cloud VMs on a Tailscale tailnet from Next.js route handlers.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
