// One mechanism's server side of a SASL exchange: each SaslAuthenticate carries
// the next client message and gets the server's reply back.

export interface SaslStep {
  readonly reply: Buffer;
  /** True once the client is authenticated (the last reply). */
  readonly done: boolean;
}

export interface SaslExchange {
  /** Throws SaslAuthenticationError on bad credentials or a malformed message. */
  step(message: Buffer): Promise<SaslStep>;
}
