#!/usr/bin/env node
// Boots user data through real cloud-init in a local VM; see `tailvm-boot-check --help`.
import "../dist/bin.js";
