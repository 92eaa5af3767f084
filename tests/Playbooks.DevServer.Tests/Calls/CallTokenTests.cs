using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;

namespace Playbooks.DevServer.Tests.Calls;

[Collection(DevServerCollection.Name)]
public sealed class CallTokenTests(CallsDevServerFactory server) : IClassFixture<CallsDevServerFactory>
{
    private static JsonElement PayloadOf(string jwt) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement;

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    [Fact]
    public async Task Token_RepAllowedComputerCalling_ReturnsAVoiceTokenAndDeviceOptions()
    {
        // Arrange
        var client = await server.SignedInClientAsync("rep-both");

        // Act
        var response = await client.PostAsync("/api/calls/token", null);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var payload = PayloadOf(body.GetProperty("token").GetString()!);
        Assert.Equal("SK00000000000000000000000000000de7", payload.GetProperty("iss").GetString());
        Assert.Equal("AP00000000000000000000000000000de7",
            payload.GetProperty("grants").GetProperty("voice").GetProperty("outgoing").GetProperty("application_sid").GetString());
        var identity = payload.GetProperty("grants").GetProperty("identity").GetString();
        Assert.Equal(body.GetProperty("identity").GetString(), identity);
        Assert.True(ClientIdentity.TryDecode(identity, out var org, out var user));
        Assert.Equal(("acme-demo", "rep-both"), (org, user));
        var expiresAt = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        var device = body.GetProperty("device");
        Assert.Equal(["roaming"], device.GetProperty("edge").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["pcmu", "opus"], device.GetProperty("codecPreferences").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.String, device.GetProperty("closeProtection").ValueKind);
    }

    [Theory]
    [InlineData("rep-phone", "acme-demo", "group-forbids-computer")]
    [InlineData("rep-sandbox", "acme-demo-sandbox", "org-computer-calling-disabled")]
    [InlineData("stranger", "acme-demo", "unknown-user")]
    public async Task Token_UserNotAllowed_Returns403WithTheReason(string userId, string orgId, string reason)
    {
        // Arrange
        var client = await server.SignedInClientAsync(userId, orgId, "Rep");

        // Act
        var response = await client.PostAsync("/api/calls/token", null);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(reason, await CodeOf(response));
    }

    [Fact]
    public async Task Token_PreferenceIsPhone_Returns403PreferenceIsPhone()
    {
        // Arrange
        var (orgId, userId) = await server.CreateOrgWithUserAsync(true, true, true, CallingMethod.Phone, "+15005550009");
        var client = await server.SignedInClientAsync(userId, orgId, "Rep");

        // Act
        var response = await client.PostAsync("/api/calls/token", null);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("preference-is-phone", await CodeOf(response));
    }

    [Fact]
    public async Task Token_MoreThanTheLimitInAMinute_Returns429WithRetryAfter()
    {
        // Arrange: a user of their own, so no other test's mints count.
        var (orgId, userId) = await server.CreateOrgWithUserAsync(true, true, false, CallingMethod.Computer, null);
        var client = await server.SignedInClientAsync(userId, orgId, "Rep");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/calls/token", null)).StatusCode);
        }

        // Act
        var response = await client.PostAsync("/api/calls/token", null);

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Token_PermissionTakenAway_AppliesOnTheNextRequest()
    {
        // Arrange
        var (orgId, userId) = await server.CreateOrgWithUserAsync(true, true, true, CallingMethod.Computer, null);
        var client = await server.SignedInClientAsync(userId, orgId, "Rep");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/calls/token", null)).StatusCode);
        await server.Services.GetRequiredService<PermissionGroupStore>()
            .UpsertAsync(new PermissionGroup { OrgId = orgId, Id = "group", Name = "Group", AllowComputer = false, AllowPhone = true });

        // Act
        var response = await client.PostAsync("/api/calls/token", null);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("group-forbids-computer", await CodeOf(response));
    }
}
