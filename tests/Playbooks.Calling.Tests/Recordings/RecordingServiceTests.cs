using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Identity;
using Playbooks.Calling.People;
using Playbooks.Calling.Recordings;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.OrgDirectory;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Recordings;

public class RecordingServiceTests
{
    private const string OrgId = "org-a";
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";
    private const string RecordingSid = "RE0123456789abcdef0123456789abcdef";
    private const string RepId = "rep-1";

    private readonly Mock<ActivityStore> activities = new(MockBehavior.Strict, new TableServiceClient("UseDevelopmentStorage=true"), TimeProvider.System);
    private readonly Mock<PersonStore> people = StoreMocks.Of<PersonStore>();
    private readonly Mock<TeamStore> teams = StoreMocks.Of<TeamStore>();
    private readonly Mock<RecordingMediaClient> media = new(MockBehavior.Strict, new HttpClient(), TestTwilioOptions.Wrap());

    private static readonly CallActivity Recorded = new()
    {
        OrgId = OrgId,
        AgentCallSid = CallSid,
        UserId = RepId,
        RecordingSid = RecordingSid,
        RecordingUrl = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/" + RecordingSid,
        RecordingStatus = RecordingStatus.Completed,
        RecordingDuration = 12,
    };

    private RecordingService Service() =>
        new(activities.Object, people.Object, new ManagementScopes(teams.Object), media.Object, NullLogger<RecordingService>.Instance);

    private void Stored(string orgId, CallActivity? activity) =>
        activities.Setup(a => a.GetAsync(new ActivityKey(orgId, CallSid), It.IsAny<CancellationToken>())).ReturnsAsync(activity);

    private void RepOnTeam(string teamId) =>
        people.Setup(p => p.GetAsync(OrgId, RepId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Person { OrgId = OrgId, UserId = RepId, DisplayName = "Rita", TeamId = teamId });

    private void Manages(string managerId, params string[] teamIds) =>
        teams.Setup(t => t.ManagedTeamIdsAsync(OrgId, managerId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HashSet<string>(teamIds));

    private RecordingMedia Audio() => new(new MemoryStream(), new MemoryStream([1, 2, 3]), "audio/wav", 3);

    [Fact]
    public async Task OpenAsync_TheCallsRep_OpensTheStoredRecordingSid()
    {
        // Arrange
        Stored(OrgId, Recorded);
        var audio = Audio();
        media.Setup(m => m.OpenAsync(RecordingSid, It.IsAny<CancellationToken>())).ReturnsAsync(audio);

        // Act
        var result = await Service().OpenAsync(Callers.Rep(OrgId, RepId), CallSid);

        // Assert
        Assert.Same(audio, result.Value);
        media.Verify(m => m.OpenAsync(RecordingSid, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OpenAsync_ManagerOfTheRepsTeam_OpensTheRecording()
    {
        Stored(OrgId, Recorded);
        RepOnTeam("east");
        Manages("manager-1", "east");
        media.Setup(m => m.OpenAsync(RecordingSid, It.IsAny<CancellationToken>())).ReturnsAsync(Audio());

        var result = await Service().OpenAsync(Callers.Manager(OrgId), CallSid);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task OpenAsync_ManagerOfAnotherTeam_Returns404WithoutFetching()
    {
        Stored(OrgId, Recorded);
        RepOnTeam("east");
        Manages("manager-1", "west");

        var result = await Service().OpenAsync(Callers.Manager(OrgId), CallSid);

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
        media.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OpenAsync_ManagerAndRepWithoutTeam_Returns404()
    {
        Stored(OrgId, Recorded);
        people.Setup(p => p.GetAsync(OrgId, RepId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Person { OrgId = OrgId, UserId = RepId, DisplayName = "Rita" });
        Manages("manager-1", "east");

        var result = await Service().OpenAsync(Callers.Manager(OrgId), CallSid);

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
        media.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OpenAsync_AdminOfTheOrg_OpensTheRecording()
    {
        Stored(OrgId, Recorded);
        media.Setup(m => m.OpenAsync(RecordingSid, It.IsAny<CancellationToken>())).ReturnsAsync(Audio());

        var result = await Service().OpenAsync(Callers.Admin(OrgId), CallSid);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task OpenAsync_AnotherRepOfTheOrg_Returns404()
    {
        Stored(OrgId, Recorded);

        var result = await Service().OpenAsync(Callers.Rep(OrgId, "rep-2"), CallSid);

        Assert.Equal(("not-found", FailureKind.NotFound), (result.Failure!.Code, result.Failure.Kind));
        media.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Admin)]
    public async Task OpenAsync_SameUserIdInAnotherOrg_LooksOnlyInItsOwnOrgAndReturns404(string role)
    {
        // Arrange: the other org has no such call, even though org-a does and the user id is the rep's
        Stored("org-b", null);
        var caller = new Caller("org-b", RepId, "Rita elsewhere", new HashSet<string> { role });

        // Act
        var result = await Service().OpenAsync(caller, CallSid);

        // Assert
        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
        activities.Verify(a => a.GetAsync(new ActivityKey(OrgId, CallSid), It.IsAny<CancellationToken>()), Times.Never);
        media.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OpenAsync_SupportStaff_Returns404()
    {
        Stored(OrgId, Recorded);

        var result = await Service().OpenAsync(Callers.Support(OrgId), CallSid);

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }

    [Fact]
    public async Task OpenAsync_RecordingStillInProgress_Returns404()
    {
        Stored(OrgId, Recorded with { RecordingStatus = RecordingStatus.InProgress });

        var result = await Service().OpenAsync(Callers.Rep(OrgId, RepId), CallSid);

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
        media.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OpenAsync_StoredSidIsNotARecordingSid_Returns404WithoutFetching()
    {
        Stored(OrgId, Recorded with { RecordingSid = "../../Calls/CA1" });

        var result = await Service().OpenAsync(Callers.Rep(OrgId, RepId), CallSid);

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
        media.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("CA1/../x")]
    [InlineData("CA1#x")]
    [InlineData("")]
    public async Task OpenAsync_CallSidNotAKey_Returns404WithoutReading(string callSid)
    {
        var result = await Service().OpenAsync(Callers.Rep(OrgId, RepId), callSid);

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
        activities.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OpenAsync_TwilioFails_Returns503RecordingUnavailable()
    {
        Stored(OrgId, Recorded);
        media.Setup(m => m.OpenAsync(RecordingSid, It.IsAny<CancellationToken>())).ThrowsAsync(new RecordingMediaException("Twilio answered 500"));

        var result = await Service().OpenAsync(Callers.Rep(OrgId, RepId), CallSid);

        Assert.Equal((FailureKind.Unavailable, "recording-unavailable"), (result.Failure!.Kind, result.Failure.Code));
    }

    [Fact]
    public async Task OpenAsync_TwilioHasNoMedia_Returns404()
    {
        Stored(OrgId, Recorded);
        media.Setup(m => m.OpenAsync(RecordingSid, It.IsAny<CancellationToken>())).ReturnsAsync((RecordingMedia?)null);

        var result = await Service().OpenAsync(Callers.Rep(OrgId, RepId), CallSid);

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }
}
