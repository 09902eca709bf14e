/**
 * Where a boot checker reports progress (`info`: an image build, a boot starting) and details
 * (`debug`). Silent by default.
 *
 * @example
 * ```ts
 * const logger: BootCheckLogger = { debug() {}, info: (message) => process.stderr.write(`${message}\n`), warn() {}, error() {} };
 * ```
 */
export interface BootCheckLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: BootCheckLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
