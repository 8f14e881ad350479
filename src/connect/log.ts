// Where the connect runtime reports what people must see: a cap reached, Kafka away, a device lost, a dead letter.

export interface ConnectLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
