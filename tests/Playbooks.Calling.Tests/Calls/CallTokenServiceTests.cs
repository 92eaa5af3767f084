using Playbooks.Calling.Identity;
using System.Buffers.Text;
using System.Text.Json;
using Moq;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Tests.Twilio;
using static Playbooks.Calling.Tests.Calls.CallsHarness;

namespace Playbooks.Calling.Tests.Calls;

public class CallTokenServiceTests
{
    private static JsonElement PayloadOf(string jwt) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement;

    private static CallsHarness AllowedUser() =>
        new CallsHarness().Allowing(CallingMethod.Computer).WithPerson(Person()).WithOrg(Org());

    [Fact]
    public async Task IssueAsync_AllowedUser_ReturnsAVoiceTokenForTheTwimlAppAndTheUsersIdentity()
    {
        // Arrange
        var service = AllowedUser().TokenService();

        // Act
        var token = (await service.IssueAsync(Caller(), CancellationToken.None)).Value!;

        // Assert
        var payload = PayloadOf(token.Token);
        Assert.Equal(TestTwilioOptions.ApiKeySid, payload.GetProperty("iss").GetString());
        Assert.Equal(TestTwilioOptions.AccountSid, payload.GetProperty("sub").GetString());
        var grants = payload.GetProperty("grants");
        Assert.Equal(TestTwilioOptions.TwimlAppSid, grants.GetProperty("voice").GetProperty("outgoing").GetProperty("application_sid").GetString());
        Assert.Equal(token.Identity, grants.GetProperty("identity").GetString());
        Assert.True(ClientIdentity.TryDecode(token.Identity, out var org, out var user));
        Assert.Equal((OrgId, UserId), (org, user));
    }

    [Fact]
    public async Task IssueAsync_AllowedUser_ExpiresAfterTheConfiguredLifetime()
    {
        // Arrange
        var service = AllowedUser().TokenService();

        // Act
        var token = (await service.IssueAsync(Caller(), CancellationToken.None)).Value!;

        // Assert
        Assert.Equal(Now.AddMinutes(10), token.ExpiresAt);
        Assert.Equal(token.ExpiresAt.ToUnixTimeSeconds(), PayloadOf(token.Token).GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task IssueAsync_AllowedUser_ReturnsTheOrgsDeviceOptions()
    {
        // Arrange
        var service = AllowedUser().TokenService();

        // Act
        var device = (await service.IssueAsync(Caller(), CancellationToken.None)).Value!.Device;

        // Assert
        Assert.Equal(["ashburn", "dublin"], device.Edge);
        Assert.Equal(["pcmu", "opus"], device.CodecPreferences);
        Assert.False(string.IsNullOrWhiteSpace(device.CloseProtection));
    }

    [Theory]
    [InlineData(CallingPreferencePolicy.OrgComputerCallingDisabled)]
    [InlineData(CallingPreferencePolicy.GroupForbidsComputer)]
    [InlineData(CallingAccess.UnknownUser)]
    public async Task IssueAsync_AccessRefused_IsForbiddenWithTheReason(string reason)
    {
        // Arrange
        var service = new CallsHarness().Refusing(CallingMethod.Computer, reason).WithPerson(Person()).WithOrg(Org()).TokenService();

        // Act
        var result = await service.IssueAsync(Caller(), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
        Assert.Equal(reason, result.Failure?.Code);
    }

    [Fact]
    public async Task IssueAsync_AccessRevokedRightAfterATokenWasIssued_IsRefusedThoughTheTokenCouldBeHandedOutAgain()
    {
        // Arrange: a token was just minted for the rep
        var harness = AllowedUser();
        var service = harness.TokenService();
        Assert.True((await service.IssueAsync(Caller(), CancellationToken.None)).IsSuccess);

        // Act: the rep is disabled (the permission check now refuses), within the token reuse window
        harness.Refusing(CallingMethod.Computer, CallingAccess.UnknownUser);
        var result = await service.IssueAsync(Caller(), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
        Assert.Equal(CallingAccess.UnknownUser, result.Failure?.Code);
    }

    [Fact]
    public async Task IssueAsync_PreferenceIsPhone_IsForbiddenWithPreferenceIsPhone()
    {
        // Arrange
        var service = new CallsHarness().Allowing(CallingMethod.Computer).WithPerson(Person(CallingMethod.Phone)).WithOrg(Org()).TokenService();

        // Act
        var result = await service.IssueAsync(Caller(), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
        Assert.Equal(CallTokenService.PreferenceIsPhone, result.Failure?.Code);
    }

    [Fact]
    public async Task IssueAsync_OverThePerUserLimit_IsRateLimitedWithRetryAfter()
    {
        // Arrange
        var harness = new CallsHarness(o => o.TokenRequestsPerMinute = 2).Allowing(CallingMethod.Computer).WithPerson(Person()).WithOrg(Org());
        var service = harness.TokenService();
        await service.IssueAsync(Caller(), CancellationToken.None);
        await service.IssueAsync(Caller(), CancellationToken.None);

        // Act
        var result = await service.IssueAsync(Caller(), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.RateLimited, result.Failure?.Kind);
        Assert.Equal(TimeSpan.FromSeconds(34), result.Failure?.RetryAfter); // Now is 15:09:26; the budget is back at 15:10
    }

    [Fact]
    public async Task IssueAsync_RefusedRequests_DoNotUseUpTheRateLimit()
    {
        // Arrange
        var harness = new CallsHarness(o => o.TokenRequestsPerMinute = 1).WithPerson(Person()).WithOrg(Org());
        var limiter = new TokenRateLimiter(harness.Options, harness.Time.Object);
        harness.Refusing(CallingMethod.Computer, CallingPreferencePolicy.GroupForbidsComputer);
        await harness.TokenService(limiter).IssueAsync(Caller(), CancellationToken.None);
        harness.Access.Reset();
        harness.Allowing(CallingMethod.Computer);

        // Act
        var result = await harness.TokenService(limiter).IssueAsync(Caller(), CancellationToken.None);

        // Assert
        Assert.True(result.IsSuccess);
    }
}
