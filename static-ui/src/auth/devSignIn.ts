import type { ApiClient } from '../api/client';
import type { AuthProvider } from './auth';

export interface DevUser {
  userId: string;
  orgId: string;
  displayName: string;
  roles: string[];
}

const tokenKey = 'playbooks.devToken';
const userKey = 'playbooks.devUser';

/** The dev server's sign-in: pick a seeded user, get a token from POST /dev/token, keep it for this tab. */
export class DevSignIn implements AuthProvider {
  readonly mode = 'dev' as const;

  constructor(private readonly storage: Storage = sessionStorage) {}

  async getToken(): Promise<string | null> {
    return this.storage.getItem(tokenKey);
  }

  async isSignedIn(): Promise<boolean> {
    return this.storage.getItem(tokenKey) !== null;
  }

  signedInUserId(): string | null {
    return this.storage.getItem(userKey);
  }

  async listUsers(api: ApiClient): Promise<DevUser[]> {
    const data = await api.get<unknown>('/dev/users', { anonymous: true });
    return Array.isArray(data) ? (data as DevUser[]) : [];
  }

  async signIn(api: ApiClient, userId: string): Promise<void> {
    const { accessToken } = await api.post<{ accessToken: string }>('/dev/token', { userId }, { anonymous: true });
    this.storage.setItem(tokenKey, accessToken);
    this.storage.setItem(userKey, userId);
  }

  forgetToken(): void {
    this.storage.removeItem(tokenKey);
  }

  async signOut(): Promise<void> {
    this.storage.removeItem(tokenKey);
    this.storage.removeItem(userKey);
  }
}
