import type { AuthConfig } from '../app/config';
import type { AuthProvider } from './auth';

type EntraConfig = Extract<AuthConfig, { mode: 'entra' }>;
type Msal = typeof import('@azure/msal-browser');
type Client = import('@azure/msal-browser').IPublicClientApplication;

/** Entra ID sign-in with MSAL, loaded on demand so the dev build's main chunk doesn't carry it. */
export class EntraSignIn implements AuthProvider {
  readonly mode = 'entra' as const;
  private client: Client | null = null;
  private msal: Msal | null = null;

  constructor(private readonly config: EntraConfig) {}

  private async ready(): Promise<Client> {
    if (this.client) return this.client;
    this.msal = await import('@azure/msal-browser');
    const client = await this.msal.PublicClientApplication.createPublicClientApplication({
      auth: {
        clientId: this.config.clientId,
        authority: this.config.authority ?? `https://login.microsoftonline.com/${this.config.tenantId}`,
        redirectUri: this.config.redirectUri ?? `${location.origin}${location.pathname}`,
      },
      cache: { cacheLocation: 'sessionStorage' },
    });
    const result = await client.handleRedirectPromise();
    if (result?.account) client.setActiveAccount(result.account);
    else if (!client.getActiveAccount() && client.getAllAccounts().length > 0) client.setActiveAccount(client.getAllAccounts()[0]);
    this.client = client;
    return client;
  }

  async isSignedIn(): Promise<boolean> {
    return (await this.ready()).getActiveAccount() !== null;
  }

  async signIn(): Promise<void> {
    const client = await this.ready();
    await client.loginRedirect({ scopes: this.config.scopes });
  }

  async getToken(): Promise<string | null> {
    const client = await this.ready();
    const account = client.getActiveAccount();
    if (!account) return null;
    try {
      const result = await client.acquireTokenSilent({ scopes: this.config.scopes, account });
      return result.accessToken;
    } catch (error) {
      if (this.msal && error instanceof this.msal.InteractionRequiredAuthError) {
        await client.acquireTokenRedirect({ scopes: this.config.scopes, account });
        return null;
      }
      throw error;
    }
  }

  forgetToken(): void {
    // MSAL keeps its own cache; a 401 after a silent token means the account must sign in again.
    this.client?.setActiveAccount(null);
  }

  async signOut(): Promise<void> {
    const client = await this.ready();
    await client.logoutRedirect({ account: client.getActiveAccount() ?? undefined });
  }
}
