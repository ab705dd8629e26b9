/** Where use cases report what operators should see in the service log. */
export abstract class LogPort {
  abstract info(message: string): void;
  abstract warn(message: string): void;
  abstract error(message: string): void;
}
