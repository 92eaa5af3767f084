using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Playbooks.DevServer.Crm;

/// <summary>
/// The dev server's stand-in for the CRM Key Vault: the same SecretClient calls the app makes in Azure, answered from
/// memory, so an admin can set a CRM client secret locally. Secrets are gone when the dev server stops.
/// </summary>
internal sealed class LocalCrmVault : SecretClient
{
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.OrdinalIgnoreCase);

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        GetSecretAsync(name, version, null, cancellationToken);

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(
        string name, string? version, SecretContentType? outContentType, CancellationToken cancellationToken = default) =>
        _secrets.TryGetValue(name, out var value)
            ? Task.FromResult(Response.FromValue(new KeyVaultSecret(name, value), NoResponse.Instance))
            : throw new RequestFailedException(404, $"A secret with (name/id) {name} was not found in this key vault.", "SecretNotFound", null);

    public override Task<Response<KeyVaultSecret>> SetSecretAsync(string name, string value, CancellationToken cancellationToken = default)
    {
        _secrets[name] = value;
        return Task.FromResult(Response.FromValue(new KeyVaultSecret(name, value), NoResponse.Instance));
    }

    /// <summary>The raw response nobody here reads.</summary>
    private sealed class NoResponse : Response
    {
        public static readonly NoResponse Instance = new();

        public override int Status => 200;

        public override string ReasonPhrase => "OK";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = "";

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<Azure.Core.HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
