using Playbooks.DevServer.Tests.Support;
using Playbooks.Calling.CallerIds;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;
using Twilio.Clients;

namespace Playbooks.DevServer.Tests.Calls;

/// <summary>
/// The dev server with Twilio's REST API replaced by a strict mock and the call-event queue by an in-memory
/// recorder, so tests see exactly what would have been sent to Twilio and queued.
/// </summary>
public sealed class CallsDevServerFactory : DevServerFactory
{
    /// <summary>What Twilio is configured with for the dev server (appsettings.Development.json).</summary>
    public const string DevAuthToken = "development-only-simulator-auth-token";

    /// <summary>The public URL Twilio calls and signs; the test server's own base address is http://localhost.</summary>
    public const string PublicBaseUrl = "http://localhost:7071";

    public const string DemoCallerId = "+15005550006";

    public Mock<ITwilioRestClient> Twilio { get; } = new(MockBehavior.Strict);

    public RecordingPublisher Events { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Twilio.Object);
            services.AddSingleton<ICallEventPublisher>(Events);
        });
    }

    /// <summary>base64(HMAC-SHA1(auth token, public URL + form names and values sorted by name)), as Twilio signs.</summary>
    public static string Sign(string url, IReadOnlyDictionary<string, string> form, string authToken = DevAuthToken)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>The host a reverse proxy in front of the app forwards to; Twilio never sees it.</summary>
    public const string InternalHost = "functions-internal:8080";

    /// <summary>
    /// A Twilio webhook POST to <paramref name="pathAndQuery"/> as it arrives behind a proxy (on <see cref="InternalHost"/>),
    /// signed over the public URL unless told otherwise.
    /// </summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string pathAndQuery, Dictionary<string, string> form, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Host = InternalHost;
        request.Headers.Add("X-Twilio-Signature", signature ?? Sign(PublicBaseUrl + pathAndQuery, form));
        return await CreateClient().SendAsync(request);
    }

    /// <summary>A fresh org of its own with one user, so a test can shape permissions without touching the demo org.</summary>
    public async Task<(string OrgId, string UserId)> CreateOrgWithUserAsync(
        bool computerEnabled, bool allowComputer, bool allowPhone, CallingMethod preference, string? agentPhone)
    {
        var orgId = $"calls-{Guid.NewGuid():N}";
        const string userId = "rep";
        // The org's own caller ID, assigned to it as Support would, so its calls pass the caller-ID check.
        var callerId = TwilioNumbers.NewOwned();
        Assert.True((await Services.GetRequiredService<CallerIdStore>().AssignAsync(new CallerIdAssignment(callerId, orgId, DateTimeOffset.UtcNow, "test"))).IsSuccess);
        await Services.GetRequiredService<OrgStore>().UpsertAsync(new OrgSettings
        {
            OrgId = orgId, Name = "Calls test org", ComputerCallingEnabled = computerEnabled, CallerId = callerId,
        });
        await Services.GetRequiredService<PermissionGroupStore>().UpsertAsync(new PermissionGroup
        {
            OrgId = orgId, Id = "group", Name = "Group", AllowComputer = allowComputer, AllowPhone = allowPhone,
        });
        await Services.GetRequiredService<PersonStore>().UpsertAsync(new Person
        {
            OrgId = orgId, UserId = userId, DisplayName = "Rep", PermissionGroupId = "group", CallingPreference = preference, AgentPhoneNumber = agentPhone,
            AgentPhoneVerified = agentPhone is not null,
        });
        return (orgId, userId);
    }
}

/// <summary>The queue as a list.</summary>
public sealed class RecordingPublisher : ICallEventPublisher
{
    private readonly ConcurrentQueue<CallEventMessage> _messages = new();

    public IReadOnlyList<CallEventMessage> Messages => [.. _messages];

    public Task PublishAsync(CallEventMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }
}
