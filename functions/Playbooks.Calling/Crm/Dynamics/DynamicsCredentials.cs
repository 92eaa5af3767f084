using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace Playbooks.Calling.Crm.Dynamics;

/// <summary>
/// Dynamics tokens by client credentials: one <see cref="ClientSecretCredential"/> per org connection, which asks Entra
/// ID for the environment's <c>/.default</c> scope, keeps the token and renews it shortly before it expires. A changed
/// URL, tenant, client or secret gets a credential of its own; a token the CRM refused is dropped with its credential.
/// </summary>
/// <remarks>
/// Token requests go through the <see cref="HttpClientName"/> client without retries of their own: a refusal of the
/// credentials stops the org's run, and a 429 or 503 holds the org until its Retry-After, like any other CRM answer.
/// </remarks>
public class DynamicsCredentials(IHttpClientFactory httpClients, IOptions<CrmOptions> options, TimeProvider clock, ILogger<DynamicsCredentials> logger)
{
    /// <summary>The HTTP client of token requests to the Entra authority.</summary>
    public const string HttpClientName = "crm-entra";

    /// <summary>Microsoft's own authority hosts, whose metadata the sign-in library knows; any other host skips instance discovery.</summary>
    private static readonly HashSet<string> KnownAuthorityHosts = new(
        [AzureAuthorityHosts.AzurePublicCloud.Host, AzureAuthorityHosts.AzureGovernment.Host, AzureAuthorityHosts.AzureChina.Host],
        StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, (string SecretHash, ClientSecretCredential Credential)> _credentials = new(StringComparer.Ordinal);

    /// <summary>
    /// A token for the environment at <paramref name="orgUrl"/>; <paramref name="refresh"/> drops the held one (the CRM
    /// answered 401). Failures are <see cref="CrmException"/>s whose message holds Entra's status and error code only.
    /// </summary>
    public virtual async Task<CrmToken> TokenAsync(
        CrmConnection connection, string orgUrl, string secret, bool refresh, CancellationToken cancellationToken)
    {
        var credential = CredentialFor(connection, secret, refresh);
        try
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([$"{orgUrl}/.default"]), cancellationToken);
            return new CrmToken(token.Token, token.ExpiresOn);
        }
        catch (AuthenticationFailedException e) when (e.InnerException is MsalServiceException refused)
        {
            throw Refusal(refused);
        }
        catch (AuthenticationFailedException e) when (e.InnerException is MsalClientException unusable)
        {
            // The sign-in could not be made or its answer not used (e.g. an answer without a bearer token).
            logger.LogWarning("The Dynamics sign-in of org {OrgId} failed: {Error}", connection.OrgId, unusable.Message);
            throw new CrmException(CrmErrorKind.Permanent, $"Sign-in to the CRM failed: {CrmErrorText.Code(unusable.ErrorCode) ?? "unusable answer"}.", inner: e)
            {
                StopsOrg = true,
            };
        }
        catch (AuthenticationFailedException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CrmException(CrmErrorKind.Transient, "Entra ID could not be reached for a Dynamics token.", inner: e);
        }
    }

    private ClientSecretCredential CredentialFor(CrmConnection connection, string secret, bool refresh)
    {
        var key = CrmTokenCache.KeyOf(connection);
        var secretHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        if (!refresh && _credentials.TryGetValue(key, out var held) && held.SecretHash == secretHash)
        {
            return held.Credential;
        }
        var created = (secretHash, Create(connection, secret));
        _credentials[key] = created;
        return created.Item2;
    }

    private ClientSecretCredential Create(CrmConnection connection, string secret)
    {
        var o = options.Value;
        var credentialOptions = new ClientSecretCredentialOptions
        {
            AuthorityHost = o.EntraAuthorityHost,
            DisableInstanceDiscovery = !KnownAuthorityHosts.Contains(o.EntraAuthorityHost.Host),
            Transport = new HttpClientTransport(httpClients.CreateClient(HttpClientName)),
        };
        credentialOptions.Retry.MaxRetries = 0;
        credentialOptions.Retry.NetworkTimeout = o.RequestTimeout;
        try
        {
            return new ClientSecretCredential(connection.TenantId, connection.ClientId, secret, credentialOptions);
        }
        catch (ArgumentException e)
        {
            throw new CrmException(CrmErrorKind.Permanent, "The org's Dynamics tenant or client id cannot be used to sign in; an admin must save the CRM setting again.", inner: e)
            {
                StopsOrg = true,
            };
        }
    }

    /// <summary>Entra's answer, sorted as <see cref="CrmHttp"/> sorts a CRM's: its body goes only to the log, under a trace id.</summary>
    private CrmException Refusal(MsalServiceException refused)
    {
        var status = (HttpStatusCode)refused.StatusCode;
        var traceId = CrmErrorText.NewTraceId();
        logger.LogWarning("Entra ID answered {Status} to a Dynamics token request (trace {TraceId}): {Body}",
            refused.StatusCode, traceId, refused.ResponseBody is { Length: > 2000 } body ? body[..2000] : refused.ResponseBody);
        var described = CrmErrorText.Describe(status, refused.ErrorCode, traceId);
        return status switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new CrmException(CrmErrorKind.Permanent, $"Sign-in to the CRM failed: {described}", inner: refused) { StopsOrg = true },
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable =>
                new CrmException(CrmErrorKind.RateLimited, described, RetryAt(refused), inner: refused),
            _ when refused.StatusCode >= 500 || status == HttpStatusCode.RequestTimeout =>
                new CrmException(CrmErrorKind.Transient, described, inner: refused),
            _ => new CrmException(CrmErrorKind.Permanent, $"Sign-in to the CRM failed: {described}", inner: refused) { StopsOrg = true },
        };
    }

    private DateTimeOffset? RetryAt(MsalServiceException refused) =>
        CrmHttp.RetryAt(refused.Headers?.RetryAfter, clock);
}
