// What every HTTP server of Fabrik's shares: who may call it and where (on which port) it may listen.
export { type AuthOutcome, authChallenges, authenticator, checkAuth, type HttpAuth } from "./auth.ts";
export { assertSafeBind, freePort, isLoopback, urlHost } from "./bind.ts";
export { HttpServerError, type HttpServerErrorCode } from "./errors.ts";
