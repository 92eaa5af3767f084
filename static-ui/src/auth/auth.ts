import type { TokenSource } from '../api/client';

/** Who signs people in: the dev server's picker locally, Entra ID in Azure. */
export interface AuthProvider extends TokenSource {
  readonly mode: 'dev' | 'entra';
  /** True when a token can be had without asking the person. */
  isSignedIn(): Promise<boolean>;
  signOut(): Promise<void>;
  /** Forget the current token after the API refused it (401). */
  forgetToken(): void;
}
