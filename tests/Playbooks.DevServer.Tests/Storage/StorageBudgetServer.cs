using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.DevServer.Tests.Calls;
using Playbooks.DevServer.Tests.Support;

namespace Playbooks.DevServer.Tests.Storage;

/// <summary>
/// The dev server with its real storage clients (tables and the call-event queue) counting round trips per probed
/// request. Its token limit is high so a test may poll the token endpoint.
/// </summary>
public sealed class StorageBudgetServer : DevServerFactory
{
    public const string GroupId = "callers";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Twilio:TokenRequestsPerMinute"] = "1000",
    };

    public StorageCallCounter Counter => Services.GetRequiredService<StorageCallCounter>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddHttpContextAccessor();
            services.AddSingleton<StorageCallCounter>();
            services.AddSingleton(sp => new StoragePipelinePolicy(sp.GetRequiredService<StorageCallCounter>()));
        });
    }

    /// <summary>An org of its own with computer calling, an owned caller ID and one rep allowed both methods, roles already recorded.</summary>
    public async Task<(string OrgId, string UserId)> CreateCallingOrgAsync()
    {
        var orgId = $"budget-{Guid.NewGuid():N}";
        const string userId = "rep";
        var callerId = TwilioNumbers.NewOwned();
        Assert.True((await Services.GetRequiredService<CallerIdStore>().AssignAsync(new CallerIdAssignment(callerId, orgId, DateTimeOffset.UtcNow, "test"))).IsSuccess);
        await Services.GetRequiredService<OrgStore>().UpsertAsync(new OrgSettings
        {
            OrgId = orgId, Name = "Budget org", ComputerCallingEnabled = true, CallerId = callerId,
        });
        await Services.GetRequiredService<PermissionGroupStore>().UpsertAsync(new PermissionGroup
        {
            OrgId = orgId, Id = GroupId, Name = "Callers", AllowComputer = true, AllowPhone = true,
        });
        await Services.GetRequiredService<PersonStore>().UpsertAsync(new Person
        {
            OrgId = orgId, UserId = userId, DisplayName = "Rep", PermissionGroupId = GroupId, CallingPreference = CallingMethod.Computer,
            Roles = [AppRoles.Rep],
        });
        return (orgId, userId);
    }

    /// <summary>Sends the request marked with a fresh probe; returns the response and the storage calls made serving it.</summary>
    public async Task<(HttpResponseMessage Response, IReadOnlyList<StorageCall> Calls)> ProbeAsync(HttpClient client, HttpRequestMessage request, int gather = 0)
    {
        var probe = Guid.NewGuid().ToString("N");
        request.Headers.Add(StorageCallCounter.ProbeHeader, probe);
        if (gather > 0)
        {
            request.Headers.Add(StorageCallCounter.GatherHeader, gather.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var response = await client.SendAsync(request);
        return (response, Counter.CallsOf(probe));
    }

    /// <summary>A Twilio webhook POST, signed over the public URL as Twilio signs it.</summary>
    public static HttpRequestMessage Webhook(string pathAndQuery, Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", CallsDevServerFactory.Sign(CallsDevServerFactory.PublicBaseUrl + pathAndQuery, form));
        return request;
    }

    public static HttpRequestMessage Get(string path, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        }
        return request;
    }
}
