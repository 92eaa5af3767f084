using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Teams;
using Playbooks.DevServer.DevSignIn;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// The dev server with a configured vendor (Support) tenant, a target org of the suite's own (a team with a manager and a
/// rep, a permission group) and a second org, and bearer tokens for every identity the authorization matrix tries.
/// </summary>
public sealed class SecurityServer : DevServerFactory, IAsyncLifetime
{
    /// <summary>The vendor's own Entra tenant: the only one whose Support role counts.</summary>
    public const string SupportTenantId = "5a5e1d3c-0000-4000-8000-0000000000aa";

    public const string CustomerTenantId = "c0570ae1-0000-4000-8000-00000000000a";

    public const string OtherCustomerTenantId = "c0570ae1-0000-4000-8000-00000000000b";

    public const string TeamId = "security-team";

    private readonly RSA _attackerKey = RSA.Create(2048);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Auth:SupportTenantId"] = SupportTenantId,
    };

    /// <summary>The org whose routes and objects every identity is pointed at.</summary>
    public string OrgId { get; private set; } = "";

    public string OtherOrgId { get; private set; } = "";

    public string RepId => "sec-rep";

    public string ManagerId => "sec-manager";

    public string AdminId => "sec-admin";

    /// <summary>A permission group of the target org.</summary>
    public string GroupId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var org = await TestOrg.CreateAsync(this);
        var other = await TestOrg.CreateAsync(this);
        OrgId = org.OrgId;
        OtherOrgId = other.OrgId;

        // Teams have no API of their own: the store is the seam the demo seed uses too.
        await Services.GetRequiredService<TeamStore>().UpsertAsync(new Team { OrgId = OrgId, Id = TeamId, Name = "Security", ManagerUserIds = [ManagerId] });
        using var admin = Client(Token(AdminId, OrgId, CustomerTenantId, AppRoles.Admin));
        foreach (var (user, role) in new[] { (RepId, AppRoles.Rep), (ManagerId, AppRoles.Manager) })
        {
            using var person = Client(Token(user, OrgId, CustomerTenantId, role));
            (await person.GetAsync("/api/me")).EnsureSuccessStatusCode();
            (await admin.PatchAsync($"/api/admin/people/{user}", new { teamId = TeamId })).EnsureSuccessStatusCode();
        }

        GroupId = await CreateGroupAsync("Security group");
        CallSid = await PlaceCallAsync(RepId);
    }

    /// <summary>A finished call of the target org's rep, as its activity (its agent call SID).</summary>
    public string CallSid { get; private set; } = "";

    /// <summary>A completed computer-based call of a rep, through the real queue and activity writer.</summary>
    private async Task<string> PlaceCallAsync(string userId)
    {
        var agentSid = "CA" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        await Services.GetRequiredService<ICallEventPublisher>().PublishAsync(new CallEventMessage
        {
            Kind = CallEventKind.CallStatus, OrgId = OrgId, UserId = userId, Method = CallingMethod.Computer,
            CallSid = "CB" + agentSid[2..], ParentCallSid = agentSid, Leg = CallLeg.Prospect, CallStatus = CallStatus.Completed,
            SequenceNumber = 3, Timestamp = at, ReceivedAt = at, CallDuration = 42, To = "+12015550100", From = "+15005550006",
        }, CancellationToken.None);

        using var rep = Client(Token(userId, OrgId, CustomerTenantId, AppRoles.Rep));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var recent = await (await rep.GetAsync("/api/calls/recent")).JsonAsync(HttpStatusCode.OK);
            if (recent.Items().Any(i => i.Str("callSid") == agentSid))
            {
                return agentSid;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The call {agentSid} did not reach the activity list in 30 s.");
            await Task.Delay(100);
        }
    }

    /// <summary>A new permission group in the target org, for a request that changes or deletes one.</summary>
    public async Task<string> CreateGroupAsync(string name)
    {
        using var admin = Client(Token(AdminId, OrgId, CustomerTenantId, AppRoles.Admin));
        var created = await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name, allowComputer = false, allowPhone = true });
        return (await created.JsonAsync(HttpStatusCode.Created)).Str("id");
    }

    /// <summary>A client that sends this bearer token (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A token the server trusts (the dev sign-in's key and issuer), with the claims Entra ID would put in it.</summary>
    public string Token(string userId, string orgId, string tenantId, string role, DateTimeOffset? issuedAt = null)
    {
        var identity = Services.GetRequiredService<DevIdentity>();
        return Mint(identity.SigningKey, identity.Issuer, identity.Audience, userId, orgId, tenantId, role, issuedAt ?? DateTimeOffset.UtcNow);
    }

    /// <summary>A well-formed token from another Entra tenant, signed by a key this server has never seen.</summary>
    public string ForeignTenantToken(string userId, string orgId, string role)
    {
        var identity = Services.GetRequiredService<DevIdentity>();
        var key = new RsaSecurityKey(_attackerKey) { KeyId = "other-tenant-key" };
        return Mint(key, $"https://login.microsoftonline.com/{OtherCustomerTenantId}/v2.0", identity.Audience, userId, orgId, OtherCustomerTenantId, role, DateTimeOffset.UtcNow);
    }

    private static string Mint(SecurityKey key, string issuer, string audience, string userId, string orgId, string tenantId, string role, DateTimeOffset issuedAt) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = issuedAt.AddHours(1).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["tid"] = tenantId,
                ["oid"] = userId,
                ["org_id"] = orgId,
                ["name"] = userId,
                ["roles"] = new[] { role },
                ["ver"] = "2.0",
            },
        });

    Task IAsyncLifetime.DisposeAsync()
    {
        _attackerKey.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityServer>
{
    public const string Name = "security";
}
