#!/usr/bin/env node
// Starts the simulated Hetzner Cloud and Tailscale on loopback; see `tailvm-sim --help`.
import "../dist/bin.js";
