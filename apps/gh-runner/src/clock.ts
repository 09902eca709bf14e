// The run waits on the provisioner's clock. A pending sleep keeps the process alive (a callback
// waiting out a Retry-After is work still to do), so every sleep that only guards a deadline must be
// given a signal that is aborted when the run ends.
export { type Clock, systemClock } from "@tailvm/provisioner";
