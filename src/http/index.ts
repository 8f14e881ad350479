// What every HTTP server of Fabrik's shares: who may call it and where it may listen.
export { type AuthOutcome, authChallenges, authenticator, checkAuth, type HttpAuth } from "./auth.ts";
export { assertSafeBind, isLoopback, urlHost } from "./bind.ts";
export { HttpServerError, type HttpServerErrorCode } from "./errors.ts";
