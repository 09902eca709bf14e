export { type Clock, systemClock } from "@tailvm/internal";
