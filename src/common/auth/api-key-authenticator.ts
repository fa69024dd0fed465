import { AuthUser } from './auth-user';

// Resolves a presented `sk-…` key to its owner, or throws a DomainError saying why (the auth
// module provides it). The guard calls it directly: Passport's per-request strategy plumbing
// cost more than the cached lookup itself on the relay's routes.
export abstract class ApiKeyAuthenticator {
  abstract authenticate(key: string): Promise<AuthUser>;
}
