// The provisioner waits on the same clock shape as the clients it drives, so one injected clock
// (a test's virtual clock, say) times every poll, backoff and deadline of a run.
export { type Clock, systemClock } from "@tailvm/internal";
