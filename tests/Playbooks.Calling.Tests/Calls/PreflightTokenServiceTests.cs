using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Tests.Twilio;
using static Playbooks.Calling.Tests.Calls.CallsHarness;

namespace Playbooks.Calling.Tests.Calls;

public class PreflightTokenServiceTests
{
    private const string PreflightAppSid = "APfedcba9876543210fedcba9876543210";

    private static JsonElement PayloadOf(string jwt) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement;

    private static PreflightTokenService Service(CallsHarness harness) => new(
        harness.People.Object, harness.Orgs.Object, new TokenRateLimiter(harness.Options, harness.Time.Object),
        new VoiceTokenIssuer(harness.Options), harness.Time.Object);

    private static CallsHarness Configured() => new(o => o.PreflightTwimlAppSid = PreflightAppSid);

    [Fact]
    public async Task IssueAsync_KnownUser_GrantsThePreflightAppOnly()
    {
        // Arrange
        var service = Service(Configured().WithPerson(Person()).WithOrg(Org()));

        // Act
        var token = (await service.IssueAsync(Caller(), CancellationToken.None)).Value!;

        // Assert
        var voice = PayloadOf(token.Token).GetProperty("grants").GetProperty("voice");
        Assert.Equal(PreflightAppSid, voice.GetProperty("outgoing").GetProperty("application_sid").GetString());
        Assert.NotEqual(TestTwilioOptions.TwimlAppSid, voice.GetProperty("outgoing").GetProperty("application_sid").GetString());
        Assert.False(voice.TryGetProperty("incoming", out _), "a network-test token must not receive calls");
    }

    [Fact]
    public async Task IssueAsync_UserWhosePreferenceIsPhone_GetsATokenAnyway()
    {
        // Arrange: no CallingAccess setup at all — the strict mock fails the test if the service asks for calling permission.
        var service = Service(Configured().WithPerson(Person(CallingMethod.Phone)).WithOrg(Org()));

        // Act
        var result = await service.IssueAsync(Caller(), CancellationToken.None);

        // Assert
        Assert.Null(result.Failure);
        Assert.Equal(Now.AddMinutes(10), result.Value!.ExpiresAt);
    }

    [Fact]
    public async Task IssueAsync_KnownUser_IdentityIsOneTheCallingWebhookCannotRead()
    {
        // Arrange
        var service = Service(Configured().WithPerson(Person()).WithOrg(Org()));

        // Act
        var token = (await service.IssueAsync(Caller(), CancellationToken.None)).Value!;

        // Assert
        Assert.StartsWith(PreflightIdentity.Prefix, token.Identity);
        Assert.False(ClientIdentity.TryDecode(token.Identity, out _, out _));
        Assert.True(PreflightIdentity.TryDecodeFrom("client:" + token.Identity, out var org, out var user));
        Assert.Equal((OrgId, UserId), (org, user));
    }

    [Fact]
    public async Task IssueAsync_KnownUser_ReturnsTheOrgsEdgesToTest()
    {
        // Arrange
        var service = Service(Configured().WithPerson(Person()).WithOrg(Org()));

        // Act
        var token = (await service.IssueAsync(Caller(), CancellationToken.None)).Value!;

        // Assert
        Assert.Equal(["ashburn", "dublin"], token.Edges);
        Assert.Equal(["pcmu", "opus"], token.CodecPreferences);
    }

    [Fact]
    public async Task IssueAsync_UnknownUser_IsForbidden()
    {
        // Arrange
        var service = Service(Configured().WithPerson(null).WithOrg(Org()));

        // Act
        var result = await service.IssueAsync(Caller(), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        Assert.Equal(CallingAccess.UnknownUser, result.Failure.Code);
    }

    [Fact]
    public async Task IssueAsync_PreflightAppNotConfigured_IsUnavailableWithItsCode()
    {
        // Arrange
        var service = Service(new CallsHarness().WithPerson(Person()).WithOrg(Org()));

        // Act
        var result = await service.IssueAsync(Caller(), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.Unavailable, result.Failure!.Kind);
        Assert.Equal(PreflightIdentity.NotConfigured, result.Failure.Code);
    }

    [Fact]
    public async Task IssueAsync_BeyondTheTokenRateLimit_IsRateLimited()
    {
        // Arrange
        var service = Service(Configured().WithPerson(Person()).WithOrg(Org()));
        for (var i = 0; i < 10; i++)
        {
            Assert.Null((await service.IssueAsync(Caller(), CancellationToken.None)).Failure);
        }

        // Act
        var result = await service.IssueAsync(Caller(), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.RateLimited, result.Failure!.Kind);
        Assert.NotNull(result.Failure.RetryAfter);
    }

    [Fact]
    public async Task ConnectAsync_CallFromAPreflightIdentity_IsRefusedWithoutDialing()
    {
        // Arrange: the calling webhook with strict mocks and no setups, so any permission read, ledger write or dial fails.
        var harness = Configured();
        var identity = PreflightIdentity.Encode(OrgId, UserId).Value!;
        var connector = harness.Connector();

        // Act
        var answer = await connector.ConnectAsync(
            new VoiceRequest("CA00000000000000000000000000000001", "client:" + identity, Prospect, null, null), CancellationToken.None);

        // Assert
        Assert.Equal(CallConnector.UnknownCaller, answer.Refusal!.Code);
        Assert.DoesNotContain("<Dial", answer.Twiml);
    }
}
