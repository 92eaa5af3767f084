using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Playbooks.DevServer.Tests;

/// <summary>
/// The dev server in-process, on the Azurite that ./test.sh starts (PLAYBOOKS_TEST_STORAGE).
/// </summary>
public class DevServerFactory : WebApplicationFactory<Program>
{
    public const string StorageVariable = "PLAYBOOKS_TEST_STORAGE";

    public static string StorageConnectionString =>
        Environment.GetEnvironmentVariable(StorageVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{StorageVariable} is not set: these tests need Azurite. Run ./test.sh, which starts it.");

    protected virtual string EnvironmentName => "Development";

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = StorageConnectionString,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client signed in as a seeded demo user.</summary>
    public Task<HttpClient> SignedInClientAsync(string userId) => SignInAsync(new { userId });

    /// <summary>A client signed in as any identity, e.g. a user of another org.</summary>
    public Task<HttpClient> SignedInClientAsync(string userId, string orgId, params string[] roles) =>
        SignInAsync(new { userId, orgId, roles });

    /// <summary>A client signed in as any identity from the given Entra tenant (by default an org's own tenant).</summary>
    public Task<HttpClient> SignedInFromTenantAsync(string tenantId, string userId, string orgId, params string[] roles) =>
        SignInAsync(new { userId, orgId, roles, tenantId });

    /// <summary>A client signed in as any identity whose token carries a sign-in address (preferred_username).</summary>
    public Task<HttpClient> SignedInWithEmailAsync(string email, string userId, string orgId, params string[] roles) =>
        SignInAsync(new { userId, orgId, roles, email });

    private async Task<HttpClient> SignInAsync(object identity)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/dev/token", identity);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed record TokenResponse(string AccessToken);
}

/// <summary>The same server as it would run anywhere but a developer's machine.</summary>
public class ProductionDevServerFactory(IReadOnlyDictionary<string, string?>? overrides = null) : DevServerFactory
{
    protected override string EnvironmentName => "Production";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "5a5e1d3c-0000-4000-8000-000000000001",
        ["AzureAd:ClientId"] = "5a5e1d3c-0000-4000-8000-000000000002",
        ["AzureAd:Audience"] = "api://playbooks-calling-dev",
        ["Twilio:AccountSid"] = "AC00000000000000000000000000000de7",
        ["Twilio:ApiKeySid"] = "SK00000000000000000000000000000de7",
        ["Twilio:ApiKeySecret"] = "production-test-api-key-secret-0000000",
        ["Twilio:AuthToken"] = "production-test-auth-token",
        ["Twilio:TwimlAppSid"] = "AP00000000000000000000000000000de7",
        ["Twilio:PreflightTwimlAppSid"] = "AP00000000000000000000000000000pf7",
        ["Twilio:PublicBaseUrl"] = "https://calling.example.com",
    }.Concat(overrides ?? new Dictionary<string, string?>()).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);
}

[CollectionDefinition(Name)]
public sealed class DevServerCollection : ICollectionFixture<DevServerFactory>
{
    public const string Name = "dev server";
}
