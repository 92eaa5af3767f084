using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Tests.Twilio;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;

namespace Playbooks.Calling.Tests.Calls;

public class OpenCallSweeperTests
{
    private const string OrgId = "org-a";
    private const string AgentSid = "CA0000000000000000000000000000a001";
    private const string ProspectSid = "CA0000000000000000000000000000b001";
    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly Mock<OpenCallIndex> _index = new(MockBehavior.Strict, Unused);
    private readonly Mock<OrgStore> _orgs = new(MockBehavior.Strict, Unused);
    private readonly Mock<ActivityStore> _activities = new(MockBehavior.Strict, Unused, TimeProvider.System);
    private readonly Mock<AgentLegStateStore> _agentLegs = new(MockBehavior.Strict, Unused);
    private readonly Mock<ITwilioRestClient> _twilio = new(MockBehavior.Strict);
    private readonly List<Request> _twilioRequests = [];
    private readonly List<CallActivity> _saved = [];

    private DateTimeOffset Now => _time.GetUtcNow();

    private OpenCallSweeper CreateSweeper(int maxCallMinutes = 30, AgentLegState? agent = null, CallActivity? activity = null, Exception? twilioError = null)
    {
        _orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org", MaxCallMinutes = maxCallMinutes });
        _agentLegs.Setup(a => a.GetAsync(OrgId, AgentSid, It.IsAny<CancellationToken>())).ReturnsAsync(agent);
        _activities.Setup(a => a.GetAsync(new ActivityKey(OrgId, AgentSid), It.IsAny<CancellationToken>()))
            .ReturnsAsync(activity ?? Prospect(CallStatus.InProgress));
        _activities.Setup(a => a.UpdateAsync(new ActivityKey(OrgId, AgentSid), It.IsAny<Func<CallActivity?, CallActivity>>(), It.IsAny<CancellationToken>()))
            .Returns((ActivityKey _, Func<CallActivity?, CallActivity> change, CancellationToken _) =>
            {
                var before = activity ?? Prospect(CallStatus.InProgress);
                var after = change(before);
                _saved.Add(after);
                return Task.FromResult(new ActivityChange(before, after));
            });
        _index.Setup(i => i.CloseAsync(OrgId, AgentSid, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _twilio.SetupGet(c => c.AccountSid).Returns(TestTwilioOptions.AccountSid);
        var request = _twilio.Setup(c => c.RequestAsync(It.IsAny<Request>())).Callback<Request>(r => { lock (_twilioRequests) _twilioRequests.Add(r); });
        if (twilioError is null)
        {
            request.ReturnsAsync((Request r) => new Response(HttpStatusCode.OK, CallJson(r.Uri.AbsolutePath.Split('/')[^1].Replace(".json", ""))));
        }
        else
        {
            request.ThrowsAsync(twilioError);
        }

        var gateway = new TwilioCallGateway(_twilio.Object, NullLogger<TwilioCallGateway>.Instance);
        return new OpenCallSweeper(
            _index.Object, _orgs.Object, _activities.Object, _agentLegs.Object, gateway,
            Options.Create(new OpenCallsOptions { RepGoneAfter = TimeSpan.FromMinutes(1) }), _time, NullLogger<OpenCallSweeper>.Instance);
    }

    private void OpenSince(TimeSpan ago) =>
        _index.Setup(i => i.OpenedBeforeAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DateTimeOffset cutoff, int _, CancellationToken _) =>
                Now - ago < cutoff ? [new OpenCall(OrgId, AgentSid, Now - ago)] : []);

    private static CallActivity Prospect(CallStatus status) =>
        CallActivity.Empty(new ActivityKey(OrgId, AgentSid)) with { ProspectCallSid = ProspectSid, Status = status, UserId = "rep-1" };

    private static string CallJson(string sid) =>
        $$"""{"sid": "{{sid}}", "account_sid": "{{TestTwilioOptions.AccountSid}}", "status": "completed", "api_version": "2010-04-01"}""";

    private IEnumerable<string> HungUp() =>
        _twilioRequests
            .Where(r => r.Method == global::Twilio.Http.HttpMethod.Post && r.PostParams.Any(p => p.Key == "Status" && p.Value == "completed"))
            .Select(r => r.Uri.AbsolutePath.Split('/')[^1].Replace(".json", ""))
            .Order();

    [Fact]
    public async Task RunAsync_OpenLongerThanTheOrgsLimit_HangsUpBothLegsAndRecordsWhy()
    {
        // Arrange
        var sweeper = CreateSweeper(maxCallMinutes: 30);
        OpenSince(TimeSpan.FromMinutes(31));

        // Act
        var result = await sweeper.RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal(new SweepResult(1, 1, 0), result);
        Assert.Equal([AgentSid, ProspectSid], HungUp());
        var saved = Assert.Single(_saved);
        Assert.Equal(ServerEndReasons.CallTooLong, saved.ServerEndReason);
        Assert.Equal(Now, saved.ServerEndedAt);
        _index.Verify(i => i.CloseAsync(OrgId, AgentSid, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunAsync_WithinTheOrgsLimitAndRepOnTheLine_LeavesTheCallAlone()
    {
        // Arrange
        var sweeper = CreateSweeper(maxCallMinutes: 30, agent: new AgentLegState(OrgId, AgentSid) { Status = CallStatus.InProgress, StatusAt = Now.AddMinutes(-20) });
        OpenSince(TimeSpan.FromMinutes(29));

        // Act
        var result = await sweeper.RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal(new SweepResult(1, 0, 0), result);
        Assert.Empty(_twilioRequests);
        Assert.Empty(_saved);
        _index.Verify(i => i.CloseAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RunAsync_RepsPhoneHungUpLongerThanTheGraceAgo_EndsTheProspectLegAsRepGone()
    {
        // Arrange
        var agent = new AgentLegState(OrgId, AgentSid) { Status = CallStatus.Completed, StatusAt = Now.AddMinutes(-2) };
        var sweeper = CreateSweeper(maxCallMinutes: 120, agent: agent);
        OpenSince(TimeSpan.FromMinutes(5));

        // Act
        await sweeper.RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal([AgentSid, ProspectSid], HungUp());
        Assert.Equal(ServerEndReasons.RepGone, Assert.Single(_saved).ServerEndReason);
    }

    [Fact]
    public async Task RunAsync_RepsPhoneHungUpSecondsAgo_WaitsForTheGrace()
    {
        // Arrange
        var agent = new AgentLegState(OrgId, AgentSid) { Status = CallStatus.Completed, StatusAt = Now.AddSeconds(-20) };
        var sweeper = CreateSweeper(maxCallMinutes: 120, agent: agent);
        OpenSince(TimeSpan.FromMinutes(5));

        // Act
        await sweeper.RunAsync(CancellationToken.None);

        // Assert
        Assert.Empty(_twilioRequests);
    }

    [Fact]
    public async Task RunAsync_ProspectLegAlreadyEnded_DropsTheIndexRowWithoutCallingTwilio()
    {
        // Arrange
        var sweeper = CreateSweeper(maxCallMinutes: 1, activity: Prospect(CallStatus.Completed));
        OpenSince(TimeSpan.FromMinutes(10));

        // Act
        var result = await sweeper.RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal(new SweepResult(1, 0, 1), result);
        Assert.Empty(_twilioRequests);
        Assert.Empty(_saved);
        _index.Verify(i => i.CloseAsync(OrgId, AgentSid, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunAsync_TwilioUnreachable_KeepsTheCallForTheNextRun()
    {
        // Arrange
        var sweeper = CreateSweeper(maxCallMinutes: 30, twilioError: new ApiConnectionException("connection refused"));
        OpenSince(TimeSpan.FromMinutes(45));

        // Act
        var result = await sweeper.RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal(new SweepResult(1, 0, 0), result);
        Assert.Empty(_saved);
        _index.Verify(i => i.CloseAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RunAsync_CallAlreadyOverAtTwilio_StillRecordsWhyAndCloses()
    {
        // Arrange: 21220 is Twilio's "call is not in-progress, cannot redirect or end".
        var sweeper = CreateSweeper(maxCallMinutes: 30, twilioError: new ApiException(21220, 400, "Call is not in-progress", "https://www.twilio.com/docs/errors/21220"));
        OpenSince(TimeSpan.FromMinutes(45));

        // Act
        var result = await sweeper.RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal(1, result.Ended);
        Assert.Equal(ServerEndReasons.CallTooLong, Assert.Single(_saved).ServerEndReason);
    }

    [Fact]
    public async Task RunAsync_NothingOpenLongEnough_ReadsOnlyTheIndex()
    {
        // Arrange
        var sweeper = CreateSweeper();
        OpenSince(TimeSpan.FromSeconds(10));

        // Act
        var result = await sweeper.RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal(new SweepResult(0, 0, 0), result);
        _orgs.Verify(o => o.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _activities.Verify(a => a.GetAsync(It.IsAny<ActivityKey>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
