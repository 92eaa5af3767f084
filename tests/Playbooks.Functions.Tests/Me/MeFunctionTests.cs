using Microsoft.Extensions.Options;
using Moq;
using Playbooks.Calling;
using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Permissions;
using Playbooks.Functions.Http;
using Playbooks.Functions.Me;
using Playbooks.Functions.Tests.Http;

namespace Playbooks.Functions.Tests.Me;

public sealed class MeFunctionTests
{
    private static readonly Azure.Data.Tables.TableServiceClient Unused = new("UseDevelopmentStorage=true");
    private readonly Mock<MeService> me = new(MockBehavior.Strict,
        new OrgStore(Unused), new PermissionGroupStore(Unused), new PersonStore(Unused), new AuditService(new AuditStore(Unused), TimeProvider.System),
        new DestinationPolicy(), (AgentPhoneVerificationService)null!, new Playbooks.Calling.Teams.TeamStore(Unused));

    private static IOptions<TelephonyOptions> Telephony(string mode) => Options.Create(new TelephonyOptions { Mode = mode });

    private static MeProfile Profile() => new(
        new MeUser("rep-1", "Rita Rep", null, "east", "g1"),
        new MeOrg("org-1", "Org", false, null),
        ["Rep"],
        CallingMethod.Phone,
        [CallingMethod.Phone],
        new CallingPermissions(CallingPermission.Refused("group-forbids-computer", "No."), CallingPermission.Granted),
        "+15005550001",
        new OrgCallingSettings(true, ["roaming"], ["pcmu", "opus"], RecordingMode.Off),
        "W/\"v1\"");

    [Fact]
    public async Task Run_Profile_MapsItWithTelephonyModeAndETag()
    {
        // Arrange
        me.Setup(m => m.GetProfileAsync(Requests.Rep, It.IsAny<CancellationToken>())).ReturnsAsync(Profile());

        // Act
        var result = await new MeFunction(me.Object, Telephony("simulated")).Run(Requests.For(Requests.Rep), CancellationToken.None);

        // Assert
        var versioned = Assert.IsType<VersionedResult>(result);
        var body = Assert.IsType<MeResponse>(versioned.Value);
        Assert.Equal("simulated", body.Telephony);
        Assert.Equal(("rep-1", "org-1"), (body.User.Id, body.Org.Id));
        Assert.Equal(ConditionalGet.ETagOf(body), versioned.ETag);
        Assert.Matches("^\"[0-9a-f]{32}\"$", versioned.ETag);
        Assert.Equal("W/\"v1\"", body.Version);
    }

    [Fact]
    public async Task Run_IfNoneMatchIsTheCurrentETag_Returns304WithoutBody()
    {
        // Arrange
        me.Setup(m => m.GetProfileAsync(Requests.Rep, It.IsAny<CancellationToken>())).ReturnsAsync(Profile());
        var function = new MeFunction(me.Object, Telephony("simulated"));
        var first = Assert.IsType<VersionedResult>(await function.Run(Requests.For(Requests.Rep), CancellationToken.None));
        var request = Requests.For(Requests.Rep);
        request.Headers.IfNoneMatch = first.ETag;

        // Act
        var result = await function.Run(request, CancellationToken.None);

        // Assert
        Assert.Equal(first.ETag, Assert.IsType<NotModifiedResult>(result).ETag);
    }

    [Fact]
    public async Task Run_OrgSettingsChangedButPersonVersionSame_AnswersNewETag()
    {
        // Arrange: Support switched computer calling off; the person's row (and its version) did not change.
        me.SetupSequence(m => m.GetProfileAsync(Requests.Rep, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Profile())
            .ReturnsAsync(Profile() with { Calling = new OrgCallingSettings(false, ["roaming"], ["pcmu", "opus"], RecordingMode.Off) });
        var function = new MeFunction(me.Object, Telephony("simulated"));
        var first = Assert.IsType<VersionedResult>(await function.Run(Requests.For(Requests.Rep), CancellationToken.None));
        var request = Requests.For(Requests.Rep);
        request.Headers.IfNoneMatch = first.ETag;

        // Act
        var result = await function.Run(request, CancellationToken.None);

        // Assert
        var fresh = Assert.IsType<VersionedResult>(result);
        Assert.NotEqual(first.ETag, fresh.ETag);
        Assert.False(Assert.IsType<MeResponse>(fresh.Value).Calling.ComputerCallingEnabled);
    }

    [Theory]
    [InlineData("\"00000000000000000000000000000000\"")]
    [InlineData("not an etag")]
    [InlineData("")]
    public async Task Run_IfNoneMatchStaleOrMalformed_Returns200WithBody(string ifNoneMatch)
    {
        me.Setup(m => m.GetProfileAsync(Requests.Rep, It.IsAny<CancellationToken>())).ReturnsAsync(Profile());
        var request = Requests.For(Requests.Rep);
        request.Headers.IfNoneMatch = ifNoneMatch;

        var result = await new MeFunction(me.Object, Telephony("simulated")).Run(request, CancellationToken.None);

        Assert.IsType<MeResponse>(Assert.IsType<VersionedResult>(result).Value);
    }

    [Fact]
    public async Task Run_OrgNotStored_Returns403OrgNotProvisionedNamingTheOrg()
    {
        me.Setup(m => m.GetProfileAsync(Requests.Rep, It.IsAny<CancellationToken>())).ReturnsAsync(Failure.NotFound("Org"));

        var result = await new MeFunction(me.Object, Telephony("twilio")).Run(Requests.For(Requests.Rep), CancellationToken.None);

        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((403, "org-not-provisioned"), (problem.Status, problem.Code));
        Assert.Contains("org-1", problem.Detail);
    }

    [Fact]
    public async Task SetPreference_NotPermitted_KeepsTheServicesRefusal()
    {
        me.Setup(m => m.SetMyPreferenceAsync(Requests.Rep, "computer", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.Forbidden(MeService.PreferenceNotPermitted, "Ask your manager."));
        var request = Requests.For(Requests.Rep, json: """{"preference":"computer"}""");

        var result = await new MeCallingPreferenceFunction(me.Object, Telephony("twilio")).Run(request, CancellationToken.None);

        Assert.Equal("preference-not-permitted", Assert.IsType<ProblemActionResult>(result).Problem.Code);
    }

    [Theory]
    [InlineData("""{"agentPhoneNumber":null}""", null)]
    [InlineData("""{"agentPhoneNumber":""}""", "")]
    [InlineData("""{"agentPhoneNumber":"+14155552671"}""", "+14155552671")]
    public async Task UpdateMe_AgentPhoneNumberPresent_IsPassedOnIncludingClears(string json, string? expected)
    {
        me.Setup(m => m.SetMyAgentPhoneAsync(Requests.Rep, expected, It.IsAny<CancellationToken>())).ReturnsAsync(Profile());

        var result = await new MeUpdateFunction(me.Object, Telephony("twilio")).Run(Requests.For(Requests.Rep, json: json), CancellationToken.None);

        Assert.IsType<VersionedResult>(result);
        me.VerifyAll();
    }

    [Fact]
    public async Task UpdateMe_AgentPhoneNumberAbsent_Returns400WithoutCallingTheService()
    {
        var result = await new MeUpdateFunction(me.Object, Telephony("twilio")).Run(Requests.For(Requests.Rep, json: "{}"), CancellationToken.None);

        Assert.Equal("agentPhoneNumber", Assert.IsType<ProblemActionResult>(result).Problem.Field);
        me.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Run_UnverifiedAgentPhone_ShowsTheCodeToTheOwner()
    {
        // Arrange
        var expires = new DateTimeOffset(2026, 12, 1, 3, 10, 0, TimeSpan.Zero);
        me.Setup(m => m.GetProfileAsync(Requests.Rep, It.IsAny<CancellationToken>())).ReturnsAsync(Profile() with
        {
            AgentPhone = new AgentPhoneState("+14155552671", false, new AgentPhoneVerificationView("123456", expires, 3, null)),
        });

        // Act
        var result = await new MeFunction(me.Object, Telephony("simulated")).Run(Requests.For(Requests.Rep), CancellationToken.None);

        // Assert
        var body = Assert.IsType<MeResponse>(Assert.IsType<VersionedResult>(result).Value);
        Assert.Equal(("+14155552671", false), (body.AgentPhone!.Number, body.AgentPhone.Verified));
        Assert.Equal(("123456", expires), (body.AgentPhone.Verification!.Code, body.AgentPhone.Verification.ExpiresAt));
    }

    [Fact]
    public async Task StartVerification_RateLimited_Returns429WithTheCode()
    {
        // Arrange
        me.Setup(m => m.StartAgentPhoneVerificationAsync(Requests.Rep, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Failure(FailureKind.RateLimited, AgentPhoneVerificationService.RateLimited, "Wait.") { RetryAfter = TimeSpan.FromSeconds(42) });

        // Act
        var result = await new MeAgentPhoneVerificationFunction(me.Object, Telephony("simulated")).Run(Requests.For(Requests.Rep), CancellationToken.None);

        // Assert
        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((429, AgentPhoneVerificationService.RateLimited), (problem.Status, problem.Code));
    }
}
